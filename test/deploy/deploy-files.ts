import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

/**
 * Offline tooling for the deployment checks: render the Kustomize overlays,
 * validate objects against the Kubernetes schemas and the vendored CRD
 * schemas, and read the Compose file the way docker-compose resolves it.
 * A missing tool is a failure with the install line, never a skip.
 */
export const ROOT = join(import.meta.dirname, '..', '..');

/** The Kubernetes version the manifests are validated against. */
export const KUBERNETES_VERSION = '1.33';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** `kustomize build` when installed (CI installs it), else kubectl's built-in `kubectl kustomize`. */
function kustomizeCommand(): [string, string[]] {
  if (process.env.KUSTOMIZE) return [process.env.KUSTOMIZE, ['build']];
  if (onPath('kustomize')) return ['kustomize', ['build']];
  if (onPath('kubectl')) return ['kubectl', ['kustomize']];
  throw new Error(
    'Neither kustomize nor kubectl is installed. .ci/run installs kustomize with ' +
      '`GOBIN=/usr/local/bin go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0`; or set KUSTOMIZE to its path.',
  );
}

function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} could not be started: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}`);
  return result.stdout;
}

export function parseYamlDocuments(text: string): any[] {
  return parseAllDocuments(text, { merge: true })
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('\n'));
      return doc.toJS({ maxAliasCount: -1 }) as unknown;
    })
    .filter((doc) => doc !== null && doc !== undefined);
}

export function renderOverlay(overlay: string): K8sObject[] {
  const [command, args] = kustomizeCommand();
  return parseYamlDocuments(run(command, [...args, join('k8s', 'overlays', overlay)])) as K8sObject[];
}

/** Problems found by kubernetes-validate (PyPI) in the built-in kinds; [] when all are valid. */
export function kubernetesSchemaProblems(objects: K8sObject[]): string[] {
  const result = spawnSync('python3', [join(ROOT, 'test', 'deploy', 'validate-kubernetes.py'), KUBERNETES_VERSION], {
    encoding: 'utf8',
    input: JSON.stringify(objects),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`python3 could not be started: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`validate-kubernetes.py failed (exit ${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

/**
 * A CRD's openAPIV3Schema as ajv's JSON Schema, validated the way `kubectl
 * apply` (strict field validation) would: unknown fields are errors unless
 * the schema preserves them. Kubernetes extensions are accepted as keywords;
 * CEL rules (x-kubernetes-validations) are not evaluated.
 */
function strictSchema(node: any): any {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (node === null || typeof node !== 'object') return node;
  const copy: any = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([p, s]) => [p, strictSchema(s)])) : strictSchema(value)]));
  if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined && !copy['x-kubernetes-preserve-unknown-fields']) {
    copy.additionalProperties = false;
  }
  return copy;
}

export type CrdValidators = Map<string, ValidateFunction>;

/** `<group>/<version> <Kind>` → validator, from every CRD file under k8s/crds. */
export function loadCrdValidators(files: string[]): CrdValidators {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const validators: CrdValidators = new Map();
  for (const file of files) {
    for (const crd of parseYamlDocuments(readFileSync(join(ROOT, file), 'utf8'))) {
      if (crd.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        validators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, ajv.compile(strictSchema(version.schema.openAPIV3Schema)));
      }
    }
  }
  return validators;
}

export function crdProblems(objects: K8sObject[], validators: CrdValidators): string[] {
  return objects.flatMap((object) => {
    const validate = validators.get(`${object.apiVersion} ${object.kind}`);
    if (!validate) return [`${object.kind}/${object.metadata.name}: no vendored CRD schema for ${object.apiVersion} ${object.kind}`];
    const valid: boolean = validate(object);
    if (valid) return [];
    return (validate.errors ?? []).map((e) => `${object.kind}/${object.metadata.name}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  });
}

/** The Compose file as docker-compose resolves it (anchors, merges, variable defaults). */
export function resolvedCompose(): any {
  if (!onPath('docker-compose')) {
    throw new Error("docker-compose is not installed. .ci/run installs Debian's: apt-get install -y docker-compose");
  }
  run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q']);
  return parseYamlDocuments(run('docker-compose', ['-f', 'docker-compose.yml', 'config']))[0];
}

/** True when every label of `selector` is on `labels`. */
export function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}
