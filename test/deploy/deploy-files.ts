import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** The operators' CRDs, unchanged upstream files (k8s/crds/vendor/README.md). */
export const VENDORED_CRDS = 'k8s/crds/vendor';
export const vendoredCrdFiles = (): string[] =>
  readdirSync(join(ROOT, VENDORED_CRDS))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `${VENDORED_CRDS}/${f}`);

/** The version .ci/run builds; the test names it when the tool is missing. */
export const KUBECTL_VALIDATE_INSTALL = 'GOBIN=/usr/local/bin go install sigs.k8s.io/kubectl-validate@v0.0.4';

/**
 * kubectl-validate v0.0.4 bundles the API schemas of Kubernetes up to 1.30
 * only. Kubernetes' own OpenAPI v3 documents of KUBERNETES_VERSION come with
 * the k8s.io/kubernetes Go module (api/openapi-spec/v3), from the Go module
 * proxy like kubectl-validate itself; given as --local-schemas they take
 * precedence over the bundled ones (a 1.33-only field is accepted, a
 * misspelt one refused: tested).
 */
export const KUBERNETES_MODULE = 'k8s.io/kubernetes@v1.33.5';
const BUNDLED_SCHEMAS_VERSION = '1.30';
/**
 * The oldest Kubernetes the manifests are for (docs/deployment.md says so):
 * the first whose API server takes a preStop `sleep` by default. The objects
 * are validated against its schemas as well, kubectl-validate's bundled ones.
 */
export const MINIMUM_KUBERNETES_VERSION = BUNDLED_SCHEMAS_VERSION;

function onPathOrThrow(command: string, install: string): void {
  if (!onPath(command)) throw new Error(`${command} is not installed: ${install}`);
}

let kubernetesSchemas: string | undefined;
/** A directory laid out as kubectl-validate's --local-schemas wants it: api/v1.json, apis/<group>/<version>.json. */
function kubernetesSchemasDir(): string {
  if (kubernetesSchemas) return kubernetesSchemas;
  onPathOrThrow('go', ".ci/run uses the Go toolchain to build kubectl-validate and fetch Kubernetes' API schemas");
  const download = spawnSync('go', ['mod', 'download', '-json', KUBERNETES_MODULE], { cwd: tmpdir(), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const dir = (JSON.parse(download.stdout || '{}') as { Dir?: string; Error?: string }).Dir;
  if (download.status !== 0 || !dir) {
    throw new Error(`go mod download ${KUBERNETES_MODULE} failed (.ci/run runs it; the Go module proxy must be reachable):\n${download.stdout}${download.stderr}`);
  }
  const specs = join(dir, 'api', 'openapi-spec', 'v3');
  const layout = mkdtempSync(join(tmpdir(), 'boxoffice-k8s-schemas-'));
  for (const file of readdirSync(specs)) {
    // api__v1_openapi.json → api/v1.json; apis__apps__v1_openapi.json → apis/apps/v1.json (group-only documents are skipped).
    const parts = file.replace(/_openapi\.json$/, '').split('__');
    if (!((parts[0] === 'api' && parts.length === 2) || (parts[0] === 'apis' && parts.length === 3))) continue;
    const target = join(layout, ...parts.slice(0, -1));
    mkdirSync(target, { recursive: true });
    symlinkSync(join(specs, file), join(target, `${parts.at(-1)}.json`));
  }
  if (!existsSync(join(layout, 'apis', 'apps', 'v1.json'))) throw new Error(`no apps/v1 schema in ${specs}`);
  kubernetesSchemas = layout;
  return layout;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  /** ServiceAccount */
  automountServiceAccountToken?: boolean;
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

/**
 * Problems kubectl-validate (sigs.k8s.io/kubectl-validate) finds in the
 * objects, per object; [] when all are valid. It runs the API server's own
 * validation: the built-in kinds against Kubernetes' schemas (of
 * KUBERNETES_VERSION, or of MINIMUM_KUBERNETES_VERSION), custom
 * resources against the CRDs in `crdDir`, CEL rules included, unknown
 * fields refused.
 */
export function kubectlValidateProblems(objects: K8sObject[], crdDir = VENDORED_CRDS, kubernetes: 'current' | 'minimum' = 'current'): string[] {
  const command = process.env.KUBECTL_VALIDATE ?? 'kubectl-validate';
  if (!process.env.KUBECTL_VALIDATE && !onPath(command)) {
    throw new Error(`kubectl-validate is not installed. .ci/run builds it from the Go module proxy with \`${KUBECTL_VALIDATE_INSTALL}\`; or set KUBECTL_VALIDATE to its path.`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'boxoffice-kubectl-validate-'));
  try {
    const files = objects.map((object, i) => {
      const file = join(dir, `${String(i).padStart(4, '0')}-${object.kind}-${object.metadata.name}.json`);
      writeFileSync(file, JSON.stringify(object));
      return file;
    });
    const schemas = kubernetes === 'current' ? ['--local-schemas', kubernetesSchemasDir()] : [];
    const args = ['--version', BUNDLED_SCHEMAS_VERSION, ...schemas, '--local-crds', join(ROOT, crdDir), '--output', 'json'];
    const result = spawnSync(command, [...files, ...args], {
      // Never a cluster's schemas: a kubeconfig on the machine must not change the verdict.
      env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig') },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw new Error(`kubectl-validate could not be started: ${result.error.message}`);
    let report: Record<string, any>;
    try {
      report = JSON.parse(result.stdout) as Record<string, any>;
    } catch {
      throw new Error(`kubectl-validate printed no JSON report (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
    const problems = Object.entries(report).flatMap(([file, outcome]) => {
      const name = file.slice(dir.length + 1).replace(/^\d+-/, '').replace(/\.json$/, '');
      const statuses = Array.isArray(outcome) ? outcome : [outcome];
      return statuses.filter((s: any) => s?.status !== 'Success').map((s: any) => `${name}: ${s?.message ?? JSON.stringify(s)}`);
    });
    if (problems.length === 0 && result.status !== 0) throw new Error(`kubectl-validate failed (exit ${result.status}) without naming a problem:\n${result.stderr}`);
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The shell commands in the ```bash blocks of a Markdown file, continuation lines joined, comments dropped. */
export function documentedCommands(markdown = 'docs/deployment.md'): string[] {
  const text = readFileSync(join(ROOT, markdown), 'utf8');
  const blocks = [...text.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}

/**
 * The Secrets docs/deployment.md tells a production user to create, made by
 * running its `kubectl … create secret …` commands as written, with
 * `--dry-run=client -o json` added (offline: kubectl only prints the object).
 */
export function documentedSecrets(): K8sObject[] {
  const commands = documentedCommands();
  // In a scratch folder, as a user would in theirs: the key files the Secrets are made from (`openssl … -out`) first.
  const dir = mkdtempSync(join(tmpdir(), 'boxoffice-secrets-'));
  try {
    for (const command of commands.filter((c) => /^openssl\b/.test(c))) runIn(dir, command);
    return commands
      .filter((command) => /^kubectl\b.*\bcreate secret\b/.test(command))
      .map((command) => JSON.parse(runIn(dir, `${command} --dry-run=client -o json`)) as K8sObject);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runIn(cwd: string, script: string): string {
  const result = spawnSync('sh', ['-c', script], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${script} failed (exit ${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/**
 * The Compose file as docker-compose resolves it (anchors, merges, variable
 * defaults), after `config -q` has validated it; `file` may be a copy
 * elsewhere, resolved as if it were the repository's.
 */
export function resolvedCompose(file = 'docker-compose.yml'): any {
  if (!onPath('docker-compose')) {
    throw new Error("docker-compose is not installed. .ci/run installs Debian's: apt-get install -y docker-compose");
  }
  const args = ['--project-directory', ROOT, '-f', file, 'config'];
  run('docker-compose', [...args, '-q']);
  return parseYamlDocuments(run('docker-compose', args))[0];
}

/** True when every label of `selector` is on `labels`. */
export function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}
