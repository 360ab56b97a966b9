import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicKeysFromEnv, requireAcceptedSigningKey, signingKeyFromEnv } from '../../libs/platform/src/auth/caller-token-keys.js';
import {
  MINIMUM_KUBERNETES_VERSION,
  ROOT,
  documentedCommands,
  kubectlValidateProblems,
  parseYamlDocuments,
  renderOverlay,
  resolvedCompose,
  vendoredCrdFiles,
  type K8sObject,
} from './deploy-files.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */

/**
 * docs/deployment.md, command by command: every line of its `bash` blocks
 * must be one this test runs (the Secrets, with --dry-run=client) or
 * validates — the overlays and files it names render and pass
 * kubectl-validate, the resources it names exist, the operator releases it
 * installs are those whose CRDs are vendored. A command none of the rules
 * below recognises fails the test: nothing in the document goes unchecked.
 */
const NAMESPACE = 'boxoffice';
const overlays = new Map<string, K8sObject[]>();
const overlay = (name: string) => {
  if (!overlays.has(name)) overlays.set(name, renderOverlay(name));
  return overlays.get(name)!;
};
const everything = () => [...overlay('local'), ...overlay('production')];
const vendored = (prefix: string) => vendoredCrdFiles().some((f) => f.startsWith(`k8s/crds/vendor/${prefix}`));
const localImage = () => overlay('local').find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].image as string;

/** kubectl's names for a resource type: the built-in ones the document uses, and every vendored CRD's. */
function resourceKinds(): Map<string, string> {
  const kinds = new Map<string, string>([
    ['deploy', 'Deployment'],
    ['deployment', 'Deployment'],
    ['hpa', 'HorizontalPodAutoscaler'],
    ['pdb', 'PodDisruptionBudget'],
    ['svc', 'Service'],
  ]);
  for (const file of vendoredCrdFiles()) {
    for (const crd of parseYamlDocuments(readFileSync(join(ROOT, file), 'utf8'))) {
      const names = crd.spec.names;
      for (const name of [names.plural, names.singular, ...(names.shortNames ?? [])]) kinds.set(name, names.kind);
    }
  }
  return kinds;
}

interface Rule {
  pattern: RegExp;
  check: (match: RegExpMatchArray, seen: Set<string>) => void;
}

/** The settings the document's `echo "NAME=…"` lines print, as a user would paste them. */
const echoed = new Map<string, string>();

const RULES: Rule[] = [
  {
    pattern: /^kubectl apply -k k8s\/overlays\/(\w+)$/,
    check: ([, name]) => {
      expect(overlay(name).length).toBeGreaterThan(0);
      expect(kubectlValidateProblems(overlay(name))).toEqual([]);
    },
  },
  {
    pattern: /^kubectl apply -f (k8s\/\S+\.yaml)$/,
    check: ([, file]) => {
      const objects = parseYamlDocuments(readFileSync(join(ROOT, file), 'utf8')) as K8sObject[];
      expect(objects.length).toBeGreaterThan(0);
      expect(kubectlValidateProblems(objects)).toEqual([]);
      for (const o of objects) expect(o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace).toBe(NAMESPACE);
    },
  },
  {
    // CloudNativePG's release manifest, of the version whose CRDs are vendored.
    pattern: /^kubectl apply --server-side -f https:\/\/raw\.githubusercontent\.com\/cloudnative-pg\/cloudnative-pg\/release-(\d+\.\d+)\/releases\/cnpg-(\d+\.\d+\.\d+)\.yaml$/,
    check: ([, branch, version]) => {
      expect(version.startsWith(`${branch}.`)).toBe(true);
      expect(vendored(`cloudnative-pg-${version}-`)).toBe(true);
    },
  },
  {
    pattern: /^kubectl apply -f https:\/\/github\.com\/cloudnative-pg\/plugin-barman-cloud\/releases\/download\/v(\d+\.\d+\.\d+)\/manifest\.yaml$/,
    check: ([, version]) => expect(vendored(`plugin-barman-cloud-${version}-`)).toBe(true),
  },
  {
    // The Gateway API's standard channel, of the release whose CRDs are vendored.
    pattern: /^kubectl apply --server-side -f https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v(\d+\.\d+\.\d+)\/standard-install\.yaml$/,
    check: ([, version]) => expect(vendored(`gateway-api-${version}-`)).toBe(true),
  },
  {
    pattern: /^helm install strimzi oci:\/\/quay\.io\/strimzi-helm\/strimzi-kafka-operator --version (\d+\.\d+\.\d+) --namespace (\S+) --create-namespace --set watchNamespaces="\{(\S+)\}"$/,
    check: ([, version, operatorNamespace, watched], seen) => {
      expect(vendored(`strimzi-${version}-`)).toBe(true);
      expect(operatorNamespace).not.toBe(NAMESPACE);
      expect(watched).toBe(NAMESPACE);
      // The chart binds roles in the watched namespace: it must exist first.
      expect(seen.has('namespace')).toBe(true);
    },
  },
  {
    // The caller-token key pair (ADR 0017), a file the next commands read.
    pattern: /^openssl ecparam -name prime256v1 -genkey -noout -out (\S+\.pem)$/,
    check: ([command, file]) => {
      runShell(command);
      expect(runShell(`openssl ec -in ${file} -noout -check 2>&1`)).toMatch(/valid/i);
    },
  },
  {
    pattern: /^kubectl -n (\S+) create secret generic (\S+) .+$/,
    check: (match) => {
      expect(match[1]).toBe(NAMESPACE);
      // Run as written, with kubectl printing the object instead of sending it.
      const created = JSON.parse(runShell(`${match[0]} --dry-run=client -o json`)) as K8sObject;
      expect(created).toMatchObject({ kind: 'Secret', metadata: { name: match[2], namespace: NAMESPACE } });
    },
  },
  {
    pattern: /^kubectl -n (\S+) get ([a-z,]+)$/,
    check: ([, namespace, list]) => {
      expect(namespace).toBe(NAMESPACE);
      const kinds = resourceKinds();
      const rendered = new Set(everything().map((o) => o.kind));
      for (const name of list.split(',')) {
        expect([name, kinds.get(name)]).toEqual([name, expect.any(String)]);
        expect([name, rendered.has(kinds.get(name)!)]).toEqual([name, true]);
      }
    },
  },
  {
    // A setting printed for the user to copy: it must be one the apps accept, and a key pair must match.
    pattern: /^echo "(CALLER_TOKEN_SIGNING_KEY|CALLER_TOKEN_PUBLIC_KEYS)=.+"$/,
    check: ([command, name]) => {
      const printed = runShell(command).trim();
      expect(printed.startsWith(`${name}=`)).toBe(true);
      echoed.set(name, printed.slice(name.length + 1));
      const env = Object.fromEntries(echoed);
      if (name === 'CALLER_TOKEN_SIGNING_KEY') signingKeyFromEnv(env);
      else publicKeysFromEnv(env);
      if (echoed.size === 2) requireAcceptedSigningKey(signingKeyFromEnv(env), publicKeysFromEnv(env));
    },
  },
  {
    pattern: /^kubectl -n (\S+) rollout (?:status|restart) deployment\/(\S+)$/,
    check: ([, namespace, name]) => {
      expect(namespace).toBe(NAMESPACE);
      expect(everything().some((o) => o.kind === 'Deployment' && o.metadata.name === name)).toBe(true);
    },
  },
  {
    // In the background (`&`), so that the next lines run in the same shell.
    pattern: /^kubectl -n (\S+) port-forward svc\/(\S+) (\d+):(\d+) &$/,
    check: ([, namespace, name, local, remote], seen) => {
      expect(namespace).toBe(NAMESPACE);
      const service = overlay('local').find((o) => o.kind === 'Service' && o.metadata.name === name)!;
      expect(service.spec.ports.map((p: any) => p.port)).toContain(Number(remote));
      seen.add(`port:${local}`);
    },
  },
  {
    pattern: /^curl http:\/\/127\.0\.0\.1:(\d+)(\/health\/(ready|live))$/,
    check: ([, port], seen) => expect(seen.has(`port:${port}`)).toBe(true),
  },
  {
    pattern: /^docker build -t (\S+) \.$/,
    check: ([, image]) => {
      expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
      expect(image).toBe(localImage());
    },
  },
  {
    pattern: /^docker compose up --build$/,
    check: (_, seen) => {
      seen.add('compose');
      const gateway = resolvedCompose().services.gateway;
      for (const port of gateway.ports) seen.add(`port:${String(port.published ?? port).split(':')[0]}`);
    },
  },
  {
    // Stops the containers and deletes the named volumes, where the data is.
    pattern: /^docker compose down -v$/,
    check: (_, seen) => {
      expect(seen.has('compose')).toBe(true);
      const volumes = Object.keys(resolvedCompose().volumes ?? {});
      expect(volumes).toEqual(expect.arrayContaining(['pg-shard0', 'kafka']));
    },
  },
  {
    pattern: /^minikube start$/,
    check: (_, seen) => seen.add('minikube'),
  },
  {
    pattern: /^minikube image load (\S+)$/,
    check: ([, image], seen) => {
      expect(image).toBe(localImage());
      expect(seen.has('minikube')).toBe(true);
    },
  },
  {
    pattern: /^kind create cluster --name (\S+)$/,
    check: ([, name], seen) => seen.add(`kind:${name}`),
  },
  {
    pattern: /^kind load docker-image (\S+) --name (\S+)$/,
    check: ([, image, name], seen) => {
      expect(image).toBe(localImage());
      expect(seen.has(`kind:${name}`)).toBe(true);
    },
  },
];

/** Where the document's commands run: a scratch folder of its own, as a user's would be (key files land there). */
let scratch: string | undefined;
function runShell(script: string): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'boxoffice-doc-'));
  const result = spawnSync('sh', ['-c', script], { cwd: scratch, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  return result.stdout;
}

describe('docs/deployment.md', () => {
  const commands = documentedCommands().map((line) => line.replace(/\s+#.*$/, ''));

  it('has its commands in bash blocks only, the blocks this test reads', () => {
    const text = readFileSync(join(ROOT, 'docs/deployment.md'), 'utf8');
    const languages = [...text.matchAll(/^```(\S*)\n[\s\S]*?^```$/gm)].map((m) => m[1]);
    expect(languages.length).toBeGreaterThan(5);
    expect(languages.filter((language) => language !== 'bash')).toEqual([]);
  });

  it(`names the oldest Kubernetes the manifests are validated for, ${MINIMUM_KUBERNETES_VERSION}`, () => {
    const text = readFileSync(join(ROOT, 'docs/deployment.md'), 'utf8');
    expect([...text.matchAll(/Kubernetes (\d+\.\d+) or newer/g)].map((m) => m[1])).toEqual([MINIMUM_KUBERNETES_VERSION]);
  });

  it('has commands to check', () => {
    expect(commands.length).toBeGreaterThan(15);
  });

  it('has only commands that a test runs or validates, each of which passes', () => {
    const seen = new Set<string>();
    const unchecked: string[] = [];
    for (const command of commands) {
      const rule = RULES.find((r) => r.pattern.test(command));
      if (!rule) {
        unchecked.push(command);
        continue;
      }
      try {
        rule.check(command.match(rule.pattern)!, seen);
      } catch (error) {
        throw new Error(`docs/deployment.md: \`${command}\`: ${(error as Error).message}`);
      }
      if (/^kubectl apply -f k8s\/overlays\/\w+\/namespace\.yaml$/.test(command)) seen.add('namespace');
    }
    expect(unchecked).toEqual([]);
  });

  it('would notice a command that is not checked, or an operator version whose CRDs are not vendored', () => {
    expect(RULES.some((r) => r.pattern.test('kubectl delete namespace boxoffice'))).toBe(false);
    const helm = 'helm install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator --version 0.48.0 --namespace strimzi --create-namespace --set watchNamespaces="{boxoffice}"';
    const rule = RULES.find((r) => r.pattern.test(helm))!;
    expect(() => rule.check(helm.match(rule.pattern)!, new Set(['namespace']))).toThrow();
    const crds = 'kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.7.0/standard-install.yaml';
    const crdRule = RULES.find((r) => r.pattern.test(crds))!;
    expect(() => crdRule.check(crds.match(crdRule.pattern)!, new Set())).toThrow();
    // A printed key that no app would accept.
    const echo = 'echo "CALLER_TOKEN_PUBLIC_KEYS=prod-1:$(echo not-a-key | base64 -w0)"';
    const echoRule = RULES.find((r) => r.pattern.test(echo))!;
    expect(() => echoRule.check(echo.match(echoRule.pattern)!, new Set())).toThrow(/CALLER_TOKEN_PUBLIC_KEYS/);
  });
});
