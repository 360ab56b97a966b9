import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../stack/paths.js';

/** How Kubernetes runs one container of an app's Deployment, as far as podman can do the same. */
export interface ContainerSpec {
  /** What the container runs under the image's entrypoint (tini): the manifest's `args`, the image's CMD when empty. */
  args: string[];
  /** Its `env` entries with a literal value. */
  env: Record<string, string>;
  /** Its `env` entries whose value the cluster fills in (`valueFrom`: the pod's name, a Secret's key): the test must give these. */
  envFromCluster: string[];
  /** uid:gid */
  user: string;
  readOnlyRootFilesystem: boolean;
  dropCapabilities: string[];
  noNewPrivileges: boolean;
  /** The emptyDir mounts: the only writable places when the root filesystem is read-only. */
  scratchMounts: { path: string; sizeLimit?: string }[];
  memoryLimit?: string;
  /** The pod's; Kubernetes' default is 30 s. */
  terminationGracePeriodSeconds: number;
}

interface Container {
  name: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  securityContext?: { runAsUser?: number; runAsGroup?: number; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
  resources?: { limits?: { memory?: string } };
  volumeMounts?: { name: string; mountPath: string }[];
}

interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsUser?: number; runAsGroup?: number };
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: { sizeLimit?: string } }[];
}

/**
 * The Deployment of `app` in k8s/base/apps/<app>.yaml: its serving container
 * (`serve`) or its migration initContainer (`migrate`).
 */
export function manifestContainer(app: string, role: 'serve' | 'migrate'): ContainerSpec {
  const file = path.join(REPO_ROOT, 'k8s', 'base', 'apps', `${app}.yaml`);
  const deployment = parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as { kind?: string; spec?: { template?: { spec?: PodSpec } } } | null)
    .find((doc) => doc?.kind === 'Deployment');
  const pod = deployment?.spec?.template?.spec;
  if (!pod) throw new Error(`${file} has no Deployment with a pod template.`);
  const container = role === 'serve' ? pod.containers[0] : pod.initContainers?.find((c) => c.args?.includes('migrate'));
  if (!container) throw new Error(`${file}: no ${role === 'serve' ? 'container' : 'initContainer that migrates'} in the Deployment.`);
  const security = { ...pod.securityContext, ...container.securityContext };
  if (security.runAsUser === undefined) throw new Error(`${file}: the ${container.name} container has no runAsUser.`);
  // `command` would replace the entrypoint, tini, which forwards SIGTERM to node.
  if (container.command) throw new Error(`${file}: the ${container.name} container sets a command; the image's entrypoint (tini) must stay.`);
  const env = container.env ?? [];
  return {
    args: container.args ?? [],
    env: Object.fromEntries(env.flatMap((e) => (e.value !== undefined ? [[e.name, e.value]] : []))),
    envFromCluster: env.filter((e) => e.value === undefined).map((e) => e.name),
    user: `${security.runAsUser}:${security.runAsGroup ?? security.runAsUser}`,
    readOnlyRootFilesystem: container.securityContext?.readOnlyRootFilesystem === true,
    dropCapabilities: container.securityContext?.capabilities?.drop ?? [],
    noNewPrivileges: container.securityContext?.allowPrivilegeEscalation === false,
    scratchMounts: (container.volumeMounts ?? []).flatMap((mount) => {
      const volume = pod.volumes?.find((v) => v.name === mount.name);
      return volume?.emptyDir ? [{ path: mount.mountPath, sizeLimit: volume.emptyDir.sizeLimit }] : [];
    }),
    memoryLimit: container.resources?.limits?.memory,
    terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds ?? 30,
  };
}

/** The same settings as `podman run` options. */
export function podmanRunOptions(spec: ContainerSpec): string[] {
  const args = ['--user', spec.user];
  if (spec.readOnlyRootFilesystem) args.push('--read-only', '--read-only-tmpfs=false');
  for (const capability of spec.dropCapabilities) args.push('--cap-drop', capability);
  if (spec.noNewPrivileges) args.push('--security-opt', 'no-new-privileges');
  // An emptyDir is a fresh, empty folder for the pod's life that the pod's
  // user may write to (fsGroup): a tmpfs owned by the container's user here.
  // (podman 4.3 ignores a tmpfs `mode` under --read-only: the folder would stay root's.)
  for (const mount of spec.scratchMounts) {
    args.push('--mount', `type=tmpfs,destination=${mount.path},chown=true${mount.sizeLimit ? `,tmpfs-size=${podmanSize(mount.sizeLimit)}` : ''}`);
  }
  if (spec.memoryLimit) args.push('--memory', podmanSize(spec.memoryLimit));
  args.push('--stop-timeout', String(spec.terminationGracePeriodSeconds));
  return args;
}

/** Kubernetes quantities (256Mi, 1Gi) as podman sizes (256m, 1g). */
function podmanSize(quantity: string): string {
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(quantity);
  if (!match) throw new Error(`Cannot convert the Kubernetes quantity "${quantity}" for podman.`);
  return `${match[1]}${match[2] ? match[2][0].toLowerCase() : ''}`;
}
