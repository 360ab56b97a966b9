import type { K8sObject } from './deploy-files.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */

/**
 * The environment Kubernetes gives one container of a pod template, worked
 * out the way the kubelet does: `envFrom` sources in order (a later one wins),
 * then `env` in order, with `$(NAME)` expanded from what is already defined
 * (`$$(` stays literal), values from ConfigMap and Secret keys, and the pod's
 * own fields. A non-optional ConfigMap, Secret or key that does not exist is
 * an error, as it is for the kubelet (the container would not start).
 */
export function containerEnv(objects: K8sObject[], pod: { name: string; namespace: string }, container: any): Record<string, string> {
  const env: Record<string, string> = {};
  const where = `container ${container.name} of ${pod.name}`;
  const lookup = (kind: 'ConfigMap' | 'Secret', name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const entries = (object: K8sObject): Record<string, string> => ({
    ...Object.fromEntries(Object.entries(object.data ?? {}).map(([k, v]) => [k, object.kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v])),
    ...(object.stringData ?? {}),
  });
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const object = lookup(kind, ref.name);
    if (!object) {
      if (ref.optional) continue;
      throw new Error(`${where}: ${kind} ${ref.name} does not exist`);
    }
    for (const [key, value] of Object.entries(entries(object))) env[`${source.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      env[variable.name] = expand(variable.value, env);
      continue;
    }
    const from = variable.valueFrom;
    if (from?.fieldRef) {
      env[variable.name] = podField(from.fieldRef.fieldPath, pod, where);
      continue;
    }
    const ref = from?.secretKeyRef ?? from?.configMapKeyRef;
    if (!ref) throw new Error(`${where}: env ${variable.name} has neither a value nor a supported valueFrom`);
    const kind = from.secretKeyRef ? 'Secret' : 'ConfigMap';
    const object = lookup(kind, ref.name);
    const value = object ? entries(object)[ref.key] : undefined;
    if (value === undefined) {
      if (ref.optional) continue;
      throw new Error(`${where}: env ${variable.name} refers to ${kind} ${ref.name} key ${ref.key}, which does not exist`);
    }
    env[variable.name] = value;
  }
  return env;
}

/** Kubernetes' dependent variables: `$(NAME)` when NAME is defined, `$$` for a literal `$`. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name?: string) => {
    if (match === '$$') return '$';
    return name !== undefined && name in env ? env[name] : match;
  });
}

function podField(path: string, pod: { name: string; namespace: string }, where: string): string {
  if (path === 'metadata.name') return `${pod.name}-7d4b9c8f6d-x2k9q`;
  if (path === 'metadata.namespace') return pod.namespace;
  throw new Error(`${where}: fieldRef ${path} is not modelled by this test`);
}
