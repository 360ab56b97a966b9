import { isDeepStrictEqual } from 'node:util';
import { BROKER_COMPRESSION_TYPE, BROKER_MAX_MESSAGE_BYTES, DEFAULT_PARTITIONS, DeadLetterTopics, allTopics } from '../../libs/contracts/src/topics.js';
import { BucketMap } from '../../libs/persistence/src/bucket-map.js';
import { APPS, DATA_CONTEXTS, DEPLOYABLES, type Deployable } from '../../tools/stack/contexts.js';
import { DeniedAddresses } from '../../apps/notifications/src/domain/webhook/denied-addresses.value-object.js';
import {
  MINIMUM_KUBERNETES_VERSION,
  VENDORED_CRDS,
  crdProblems,
  documentedSecrets,
  kubectlValidateProblems,
  kubernetesSchemaProblems,
  loadCrdValidators,
  matches,
  renderOverlay,
  vendoredCrdFiles,
  type K8sObject,
} from './deploy-files.js';
import { DEPLOYMENT_ONLY_ENV, SHARDS, launcherEnvNames } from './launcher-env.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */

/**
 * The Kubernetes manifests, checked offline: each overlay renders with
 * Kustomize; every object is valid against the Kubernetes API schemas
 * (kubernetes-validate) or its operator's vendored CRD schema (ajv), and all
 * of them again with kubectl-validate, the API server's own validation with
 * the CRDs' CEL rules; and what the design requires is really in the
 * rendered output. A broken copy fails each validator.
 */
const OVERLAYS = ['local', 'production'] as const;
const CUSTOM_GROUPS = ['postgresql.cnpg.io/', 'kafka.strimzi.io/', 'monitoring.coreos.com/', 'gateway.networking.k8s.io/'];
/** The custom resources each overlay renders, each validated against its vendored CRD. */
const CUSTOM_KINDS: Record<string, string[]> = {
  local: ['Cluster', 'ImageCatalog', 'Kafka', 'KafkaNodePool', 'KafkaTopic'],
  production: ['Cluster', 'ImageCatalog', 'Kafka', 'KafkaNodePool', 'KafkaTopic', 'ScheduledBackup', 'PodMonitor', 'Gateway', 'HTTPRoute'],
};
let crdValidators: ReturnType<typeof loadCrdValidators> | undefined;
const crdValidatorsOnce = () => (crdValidators ??= loadCrdValidators(vendoredCrdFiles()));
/** Contexts that consume from Kafka own a dead-letter topic. */
const CONSUMERS = Object.keys(DeadLetterTopics);

const rendered = new Map<string, K8sObject[]>();
function objects(overlay: string): K8sObject[] {
  if (!rendered.has(overlay)) rendered.set(overlay, renderOverlay(overlay));
  return rendered.get(overlay)!;
}
const ofKind = (overlay: string, kind: string) => objects(overlay).filter((o) => o.kind === kind);
const named = (overlay: string, kind: string, name: string) => {
  const found = ofKind(overlay, kind).find((o) => o.metadata.name === name);
  if (!found) throw new Error(`${overlay}: no ${kind} named ${name}`);
  return found;
};
const isCustom = (o: K8sObject) => CUSTOM_GROUPS.some((g) => o.apiVersion.startsWith(g));

/** Production's Secrets are created outside Git, by the commands of docs/deployment.md. */
let external: K8sObject[] | undefined;
const externalSecrets = (overlay: string) => (overlay === 'production' ? (external ??= documentedSecrets()) : []);

/** Every env name a container gets, through env and envFrom (keys of the referenced ConfigMaps and Secrets). */
function envNames(overlay: string, container: any): string[] {
  const fromSources = (container.envFrom ?? []).flatMap((source: any) => {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const object = [...objects(overlay), ...externalSecrets(overlay)].find((o) => o.kind === kind && o.metadata.name === ref.name);
    if (!object) throw new Error(`${overlay}: no ${kind} named ${ref.name}`);
    return Object.keys({ ...object.data, ...object.stringData });
  });
  return [...new Set([...fromSources, ...(container.env ?? []).map((e: any) => e.name)])].sort();
}
const envValue = (container: any, name: string) => container.env?.find((e: any) => e.name === name);
/** Where the Prometheus that scrapes the apps runs (docs/deployment.md). */
const PROMETHEUS_PEER = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
};

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  it('renders with Kustomize into one namespace', () => {
    expect(objects(overlay).length).toBeGreaterThan(0);
    const namespaced = objects(overlay).filter((o) => o.kind !== 'Namespace');
    expect(new Set(namespaced.map((o) => o.metadata.namespace))).toEqual(new Set(['boxoffice']));
  });

  it(`has only objects that are valid against the Kubernetes schemas (kubernetes-validate, strict)`, () => {
    const builtIn = objects(overlay).filter((o) => !isCustom(o));
    expect(builtIn.length).toBeGreaterThan(0);
    expect(kubernetesSchemaProblems(builtIn)).toEqual([]);
  });

  it('has only custom resources that are valid against the vendored CRD schemas (ajv, strict)', () => {
    const custom = objects(overlay).filter(isCustom);
    expect(new Set(custom.map((o) => o.kind))).toEqual(new Set(CUSTOM_KINDS[overlay]));
    expect(crdProblems(custom, crdValidatorsOnce())).toEqual([]);
  });

  it('has only objects that kubectl-validate accepts (the API server\'s validation, CRD CEL rules included)', () => {
    expect(kubectlValidateProblems(objects(overlay))).toEqual([]);
  });

  it(`has only objects that Kubernetes ${MINIMUM_KUBERNETES_VERSION}, the oldest it is for, accepts (kubectl-validate)`, () => {
    expect(kubectlValidateProblems(objects(overlay), VENDORED_CRDS, 'minimum')).toEqual([]);
  });

  it('declares exactly the topics of allTopics(), each with the default partition count and its settings', () => {
    const topics = ofKind(overlay, 'KafkaTopic').map((t) => ({ name: t.spec.topicName ?? t.metadata.name, partitions: t.spec.partitions, config: t.spec.config ?? {} }));
    expect(topics.map((t) => t.name).sort()).toEqual(allTopics().map((t) => t.name).sort());
    expect(topics.every((t) => t.partitions === DEFAULT_PARTITIONS)).toBe(true);
    for (const wanted of allTopics()) {
      const config = topics.find((t) => t.name === wanted.name)?.config;
      // Durability and retention, the same for every topic, are checked where the operations settings are (k8s-operations.spec.ts).
      const { 'min.insync.replicas': _isr, 'retention.ms': retention, ...own } = Object.fromEntries(Object.entries(config ?? {}).map(([k, v]) => [k, String(v)]));
      // A topic whose own settings name its retention (the replica status reports) keeps exactly that.
      expect(wanted.config['retention.ms'] === undefined ? own : { ...own, 'retention.ms': retention }).toEqual(wanted.config);
    }
    const kafka = ofKind(overlay, 'Kafka');
    expect(Number(kafka[0].spec.kafka.config['message.max.bytes'])).toBe(BROKER_MAX_MESSAGE_BYTES);
    expect(kafka[0].spec.kafka.config['compression.type']).toBe(BROKER_COMPRESSION_TYPE);
    expect(kafka).toHaveLength(1);
    expect(ofKind(overlay, 'KafkaTopic').every((t) => t.metadata.labels?.['strimzi.io/cluster'] === kafka[0].metadata.name)).toBe(true);
  });

  it('runs Kafka in KRaft mode without automatic topic creation, with replication the node count allows', () => {
    const kafka = ofKind(overlay, 'Kafka')[0];
    const pools = ofKind(overlay, 'KafkaNodePool');
    const nodes = pools.reduce((sum, p) => sum + p.spec.replicas, 0);
    const roles = new Set(pools.flatMap((p) => p.spec.roles));
    const config = kafka.spec.kafka.config;
    expect(roles).toEqual(new Set(['controller', 'broker']));
    expect(config['auto.create.topics.enable']).toBe(false);
    const factors = [config['default.replication.factor'], config['offsets.topic.replication.factor'], config['transaction.state.log.replication.factor'], ...ofKind(overlay, 'KafkaTopic').map((t) => t.spec.replicas)];
    expect(factors.every((f) => f === Math.min(nodes, 3))).toBe(true);
    expect(config['min.insync.replicas']).toBe(nodes >= 3 ? 2 : 1);
    if (overlay === 'production') expect(nodes).toBe(3);
  });

  it.each([...DEPLOYABLES])('runs %s with a Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget that fit together', (app) => {
    const deployment = named(overlay, 'Deployment', app);
    const podLabels = deployment.spec.template.metadata.labels;
    expect(matches(deployment.spec.selector.matchLabels, podLabels)).toBe(true);
    expect(matches(named(overlay, 'Service', app).spec.selector, podLabels)).toBe(true);
    expect(matches(named(overlay, 'PodDisruptionBudget', app).spec.selector.matchLabels, podLabels)).toBe(true);
    const hpa = named(overlay, 'HorizontalPodAutoscaler', app);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(1);
    expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
    // The HPA owns the replica count; a fixed one would fight it on every apply.
    expect(deployment.spec.replicas).toBeUndefined();
  });

  it.each(CONSUMERS)('never scales %s past the partition count (idle consumers)', (app) => {
    expect(named(overlay, 'HorizontalPodAutoscaler', app).spec.maxReplicas).toBeLessThanOrEqual(DEFAULT_PARTITIONS);
  });

  it.each([...DEPLOYABLES])('hardens %s: probes on the real health endpoints, scraped for metrics, limits, non-root, read-only root filesystem', (app) => {
    const pod = named(overlay, 'Deployment', app).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    const main = pod.containers.find((c: any) => c.name === 'app');
    const port = main.ports.find((p: any) => p.name === 'http');
    expect(port.containerPort).toBe(8080);
    expect(main.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(main.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(named(overlay, 'Deployment', app).spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(port.containerPort),
      'prometheus.io/path': '/metrics',
    });
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      expect(container.resources.limits).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
      expect(container.resources.requests).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
  });

  it('gives the caller-token signing key to the gateway only, and boots in production unless the overlay says development', () => {
    for (const app of APPS) {
      const main = named(overlay, 'Deployment', app).spec.template.spec.containers.find((c: any) => c.name === 'app');
      expect(envNames(overlay, main).includes('CALLER_TOKEN_SIGNING_KEY')).toBe(app === 'gateway');
      const config = named(overlay, 'ConfigMap', main.envFrom.find((source: any) => source.configMapRef).configMapRef.name);
      expect(config.data?.BOXOFFICE_ENV).toBe(overlay === 'local' ? 'development' : 'production');
      // Every app verifies caller tokens with the public keys (in boxoffice-secrets: generated locally, created outside Git in production).
      expect(envNames(overlay, main).includes('CALLER_TOKEN_PUBLIC_KEYS')).toBe(true);
    }
  });

  it.each([...APPS])('starts %s with the settings the local stack launcher gives it, and migrates a data context first', (app) => {
    const pod = named(overlay, 'Deployment', app).spec.template.spec;
    const main = pod.containers.find((c: any) => c.name === 'app');
    expect(main.args).toEqual(['node', `dist/apps/${app}/src/main.js`]);
    const expected = launcherEnvNames(app);
    const names = envNames(overlay, main);
    expect(names).toEqual(expect.arrayContaining(expected));
    expect(names.filter((n) => !expected.includes(n)).every((n) => DEPLOYMENT_ONLY_ENV.includes(n))).toBe(true);
    const migrations = (pod.initContainers ?? []).filter((c: any) => c.args?.at(-1) === 'migrate');
    if (DATA_CONTEXTS.some((c) => c.name === app)) {
      expect(migrations).toHaveLength(1);
      expect(migrations[0].args).toEqual(['node', `dist/apps/${app}/src/main.js`, 'migrate']);
      expect(migrations[0].image).toBe(main.image);
      expect(envNames(overlay, migrations[0])).toEqual(names);
    } else {
      expect(migrations).toHaveLength(0);
    }
  });

  it.each(DATA_CONTEXTS.map((c) => [c.name, c] as const))('points %s at its database on the right shards, primaries and standbys', (_, context) => {
    const main = named(overlay, 'Deployment', context.name).spec.template.spec.containers[0];
    const password = envValue(main, 'DB_PASSWORD');
    // Its own role's password, the Secret each shard cluster sets that role's password from (ADR 0046).
    const secret = password.valueFrom.secretKeyRef.name;
    expect(secret).toMatch(new RegExp(`^boxoffice-db-${context.name}(-[a-z0-9]{10})?$`));
    const clusters = ofKind(overlay, 'Cluster').map((c) => c.metadata.name).sort();
    const onShards = context.sharded ? clusters : clusters.slice(0, 1);
    for (const cluster of onShards) {
      const role = named(overlay, 'Cluster', cluster).spec.managed.roles.find((r: any) => r.name === context.name);
      expect(role?.passwordSecret).toEqual({ name: secret });
    }
    for (const container of [main, ...named(overlay, 'Deployment', context.name).spec.template.spec.initContainers]) {
      expect(envValue(container, 'DB_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: secret, key: 'password' });
    }
    // Kubernetes expands $(DB_PASSWORD) only when it is defined before DB_SHARDS.
    expect(main.env.indexOf(password)).toBeLessThan(main.env.indexOf(envValue(main, 'DB_SHARDS')));
    const shards = JSON.parse(envValue(main, 'DB_SHARDS').value.replaceAll('$(DB_PASSWORD)', 'secret'));
    expect(clusters).toHaveLength(SHARDS);
    expect(shards).toEqual(
      onShards.map((cluster) => ({
        primary: `postgres://${context.name}:secret@${cluster}-rw:5432/${context.name}`,
        replicas: [`postgres://${context.name}:secret@${cluster}-ro:5432/${context.name}`],
      })),
    );
  });

  it('gives the sharded contexts the even bucket map over the shard clusters', () => {
    const map = ofKind(overlay, 'ConfigMap').find((c) => c.metadata.name.startsWith('boxoffice-bucket-map'))!;
    expect(JSON.parse(map.data!.BUCKET_MAP)).toEqual(BucketMap.even(ofKind(overlay, 'Cluster').length).definition);
  });

  it.each([0, 1])('makes shard %i commit CP databases synchronously and AP ones locally', (shard) => {
    const cluster = named(overlay, 'Cluster', `pg-shard-${shard}`);
    const contexts = DATA_CONTEXTS.filter((c) => c.sharded || shard === 0);
    const initdb = cluster.spec.bootstrap.initdb;
    const sql: string[] = initdb.postInitApplicationSQL;
    const created = [initdb.database, ...sql.map((s) => /^CREATE DATABASE "([a-z]+)" OWNER "\1"$/.exec(s)?.[1]).filter(Boolean)];
    expect(created.sort()).toEqual(contexts.map((c) => c.name).sort());
    expect(initdb.owner).toBe(initdb.database);
    for (const context of contexts) {
      expect(sql).toContain(`ALTER DATABASE "${context.name}" SET synchronous_commit = '${context.cap === 'CP' ? 'on' : 'local'}'`);
    }
    if (contexts.some((c) => c.cap === 'CP')) {
      expect(cluster.spec.postgresql.synchronous).toEqual({ method: 'any', number: 1, dataDurability: 'required' });
      // A required synchronous standby needs one besides the primary; production keeps a spare.
      expect(cluster.spec.instances).toBeGreaterThanOrEqual(overlay === 'production' ? 3 : 2);
    }
  });

  it.each([0, 1])("gives each context's database on shard %i a role of its own that no other role shares (ADR 0046)", (shard) => {
    const cluster = named(overlay, 'Cluster', `pg-shard-${shard}`);
    const contexts = DATA_CONTEXTS.filter((c) => c.sharded || shard === 0).map((c) => c.name);
    const initdb = cluster.spec.bootstrap.initdb;
    const sql: string[] = initdb.postInitApplicationSQL;
    // Every database closed to PUBLIC, so a role connects only to the database it owns.
    for (const context of contexts) expect(sql).toContain(`REVOKE ALL ON DATABASE "${context}" FROM PUBLIC`);
    expect(sql.filter((s) => /^(GRANT|ALTER ROLE)\b/.test(s))).toEqual([]);
    // The bootstrap owner's role comes from its Secret; the others are created without LOGIN, which the managed roles give.
    expect(sql.filter((s) => s.startsWith('CREATE ROLE')).sort()).toEqual(contexts.filter((c) => c !== initdb.owner).map((c) => `CREATE ROLE "${c}" NOLOGIN`).sort());
    expect(initdb.secret.name).toMatch(new RegExp(`^boxoffice-db-${initdb.owner}(-[a-z0-9]{10})?$`));
    const roles = cluster.spec.managed.roles;
    expect(roles.map((r: any) => r.name).sort()).toEqual([...contexts].sort());
    for (const role of roles) {
      expect(role).toEqual({ name: role.name, ensure: 'present', login: true, inRoles: ['pg_read_all_stats'], passwordSecret: { name: expect.stringMatching(new RegExp(`^boxoffice-db-${role.name}(-[a-z0-9]{10})?$`)) } });
    }
  });

  it('denies all traffic to and from app pods except what the design needs', () => {
    const policies = ofKind(overlay, 'NetworkPolicy');
    const pods = ofKind(overlay, 'Deployment').map((d) => ({ app: d.metadata.name as Deployable, labels: d.spec.template.metadata.labels }));
    // A label selector as the API server reads it: matchLabels and every matchExpressions term.
    const selects = (selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }, labels: Record<string, string>) =>
      matches(selector.matchLabels ?? {}, labels) &&
      (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
        if (operator === 'In') return values.includes(labels[key]);
        if (operator === 'NotIn') return !values.includes(labels[key]);
        if (operator === 'Exists') return key in labels;
        if (operator === 'DoesNotExist') return !(key in labels);
        throw new Error(`unknown selector operator ${operator}`);
      });
    const applying = (labels: Record<string, string>) => policies.filter((p) => selects(p.spec.podSelector, labels));
    for (const pod of pods) {
      const mine = applying(pod.labels);
      const denyAll = mine.filter((p) => p.spec.policyTypes.includes('Ingress') && p.spec.policyTypes.includes('Egress') && !p.spec.ingress && !p.spec.egress);
      expect(denyAll).toHaveLength(1);
      const ingressRules = mine.flatMap((p) => p.spec.ingress ?? []);
      // Prometheus reaches every app, on the app port only, to scrape /metrics.
      const scrapes = ingressRules.filter((rule: any) => rule.from.some((peer: any) => isDeepStrictEqual(peer, PROMETHEUS_PEER)));
      expect(scrapes).toEqual([{ from: [PROMETHEUS_PEER], ports: [{ protocol: 'TCP', port: 8080 }] }]);
      const ingressFrom = ingressRules.filter((rule: any) => !scrapes.includes(rule)).flatMap((rule: any) => rule.from);
      // The public edges: the gateway and the storefront's pages, from the production Gateway's data plane
      // only — its pods in the Gateway's namespace, labelled with the Gateway's name (GEP-1762).
      if (pod.app === 'gateway' || pod.app === 'web') {
        const [edge] = ofKind('production', 'Gateway');
        expect(ingressFrom).toEqual([{ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': edge.metadata.name } } }]);
      } else {
        expect(ingressFrom).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } } }]);
      }
      const egressTo = mine.flatMap((p) => p.spec.egress ?? []).flatMap((rule: any) => rule.to);
      const kinds = new Set(
        egressTo.map((peer: any) => {
          if (peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'kube-system') return 'dns';
          if (peer.podSelector?.matchExpressions?.[0]?.key === 'cnpg.io/cluster') return 'postgres';
          if (peer.podSelector?.matchLabels?.['strimzi.io/kind'] === 'Kafka') return 'kafka';
          if (peer.podSelector?.matchLabels?.['app.kubernetes.io/component'] === 'context') return 'contexts';
          if (peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'observability' && !peer.podSelector) return 'otel-collector';
          if (peer.ipBlock) return 'outside';
          return JSON.stringify(peer);
        }),
      );
      // Every app but the storefront's server reaches Kafka (the gateway for its status reports, the
      // operations console (ADR 0035) and the live seat maps (ADR 0033)); every app but the storefront's
      // server sends spans to the OpenTelemetry Collector in the observability namespace (docs/observability.md).
      const expected = new Set(['dns']);
      if (pod.app !== 'web') {
        expected.add('kafka');
        expected.add('otel-collector');
      }
      if (pod.app === 'gateway') expected.add('contexts');
      if (DATA_CONTEXTS.some((c) => c.name === pod.app)) expected.add('postgres');
      if (pod.app === 'notifications') expected.add('outside');
      expect(kinds).toEqual(expected);
      // The observability namespace on the OTLP port; the gateway also on Jaeger's query port, for the console's traces (ADR 0037).
      const observabilityPorts = mine
        .flatMap((p) => p.spec.egress ?? [])
        .filter((rule: any) => rule.to.some((peer: any) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'observability'))
        .flatMap((rule: any) => rule.ports.map((port: any) => port.port))
        .sort();
      expect(observabilityPorts).toEqual(pod.app === 'web' ? [] : pod.app === 'gateway' ? [16686, 4318] : [4318]);
    }
  });
});

/** The first and the last address of a CIDR range. */
function ends(range: string): [string, string] {
  const [address, prefixText] = range.split('/') as [string, string];
  const v6 = address.includes(':');
  const bits = v6 ? 128 : 32;
  const prefix = BigInt(prefixText ?? bits);
  const value = v6 ? ipv6ToBigInt(address) : address.split('.').reduce((n, octet) => (n << 8n) | BigInt(octet), 0n);
  const hostBits = BigInt(bits) - prefix;
  const first = (value >> hostBits) << hostBits;
  const last = first | ((1n << hostBits) - 1n);
  const text = (n: bigint) =>
    v6
      ? Array.from({ length: 8 }, (_, i) => ((n >> BigInt(16 * (7 - i))) & 0xffffn).toString(16)).join(':')
      : Array.from({ length: 4 }, (_, i) => ((n >> BigInt(8 * (3 - i))) & 0xffn).toString()).join('.');
  return [text(first), text(last)];
}

function ipv6ToBigInt(address: string): bigint {
  const [head = '', tail] = address.split('::');
  const before = head ? head.split(':') : [];
  const after = tail ? tail.split(':') : [];
  const groups = [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return groups.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

describe.each(OVERLAYS)('k8s/overlays/%s: notifications', (overlay) => {
  const policy = () => named(overlay, 'NetworkPolicy', 'notifications-to-webhooks-and-smtp');
  const config = () => ofKind(overlay, 'ConfigMap').find((c) => c.metadata.name.startsWith('boxoffice-config'))!.data!;

  it('reaches the outside world for webhooks, but not the cluster’s pod and service ranges, loopback or the metadata service', () => {
    expect(matches(policy().spec.podSelector.matchLabels, named(overlay, 'Deployment', 'notifications').spec.template.metadata.labels)).toBe(true);
    const blocks = policy().spec.egress.flatMap((rule: any) => rule.to.map((peer: any) => peer.ipBlock));
    expect(blocks.map((b: any) => b.cidr)).toEqual(['0.0.0.0/0', '::/0']);
    const excepted = blocks.flatMap((b: any) => b.except);
    // kubeadm's and kind's pod and service CIDRs, the private ranges managed clusters use, link-local (metadata).
    for (const range of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', 'fc00::/7', 'fe80::/10']) {
      expect(excepted).toContain(range);
    }
    expect(policy().spec.egress.flatMap((rule: any) => rule.ports)).toEqual([{ protocol: 'TCP' }]);
  });

  it('denies the same ranges to webhooks inside the app (WEBHOOK_DENIED_ADDRESSES), whatever the allow-list says', () => {
    const denied = DeniedAddresses.parse(config().WEBHOOK_DENIED_ADDRESSES);
    if (!denied.ok) throw new Error(denied.error.message);
    const excepted: string[] = policy().spec.egress.flatMap((rule: any) => rule.to.flatMap((peer: any) => peer.ipBlock.except));
    // Both ends of every range the policy keeps notifications from, so the app's ranges are no narrower.
    for (const range of excepted) {
      for (const address of ends(range)) expect([range, address, denied.value.refusal(address, 443) !== undefined]).toEqual([range, address, true]);
    }
    // A Service's cluster IP (kubeadm's default range) and a pod's address, in either spelling.
    for (const address of ['10.96.0.1', '10.244.1.17', '::ffff:10.96.0.1']) expect(denied.value.refusal(address, 8080)).toMatch(/is denied to webhooks/);
    expect(denied.value.refusal('203.0.113.7', 443)).toBeUndefined();
  });
});

describe('k8s/overlays/production', () => {
  it('spreads every app over nodes and zones', () => {
    for (const deployment of ofKind('production', 'Deployment')) {
      const spec = deployment.spec.template.spec;
      const term = spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
      expect(term.topologyKey).toBe('kubernetes.io/hostname');
      expect(matches(term.labelSelector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
      expect(spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    }
  });

  it('keeps at least three pods of every app', () => {
    expect(ofKind('production', 'HorizontalPodAutoscaler').map((h) => h.spec.minReplicas)).toEqual(DEPLOYABLES.map(() => 3));
  });
});

describe('a deliberately broken copy', () => {
  const copy = (kind: string): any => structuredClone(ofKind('production', kind)[0]);
  const rename = (object: any, name: string) => ({ ...object, metadata: { ...object.metadata, name } });
  /** An unknown field in a Deployment's container. */
  const badDeployment = () => {
    const deployment = rename(copy('Deployment'), 'broken-deployment');
    deployment.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    return deployment;
  };
  /** `spec.kafka.replicas`, which Strimzi v1 moved to the KafkaNodePool. */
  const removedField = () => {
    const kafka = rename(copy('Kafka'), 'broken-removed-field');
    kafka.spec.kafka.replicas = 3;
    return kafka;
  };
  /** An object of the API version Strimzi 1.x no longer serves. */
  const v1beta2 = () => ({ ...rename(copy('KafkaTopic'), 'broken-v1beta2'), apiVersion: 'kafka.strimzi.io/v1beta2' });
  /** Schema-valid, but against a CEL rule of the Kafka CRD: the JMX exporter needs its ConfigMap. */
  const celRule = () => {
    const kafka = rename(copy('Kafka'), 'broken-cel-rule');
    kafka.spec.kafka.metricsConfig = { type: 'jmxPrometheusExporter' };
    return kafka;
  };

  /** A listener's certificate misspelt: a schema error in the Gateway API's CRD. */
  const misspeltListener = () => {
    const gateway = rename(copy('Gateway'), 'broken-listener');
    gateway.spec.listeners[1].tls = { mode: 'Terminate', certificateRef: gateway.spec.listeners[1].tls.certificateRefs[0] };
    return gateway;
  };
  /** Schema-valid, but against a CEL rule of the HTTPRoute CRD: a Service backend needs its port. */
  const portlessBackend = () => {
    const route = rename(copy('HTTPRoute'), 'broken-backend');
    delete route.spec.rules[0].backendRefs[0].port;
    return route;
  };

  it('fails kubernetes-validate', () => {
    expect(kubernetesSchemaProblems([badDeployment()])).toEqual([expect.stringContaining('imagePullPolicyy')]);
  });

  it('fails the strict CRD schema check, which evaluates no CEL rule', () => {
    const problems = crdProblems([removedField(), v1beta2(), celRule(), misspeltListener(), portlessBackend()], crdValidatorsOnce());
    expect(problems.some((p) => p.startsWith('Kafka/broken-removed-field') && p.includes('replicas'))).toBe(true);
    expect(problems.some((p) => p.startsWith('KafkaTopic/broken-v1beta2') && p.includes('no vendored CRD schema'))).toBe(true);
    expect(problems.some((p) => p.startsWith('Gateway/broken-listener') && p.includes('certificateRef'))).toBe(true);
    expect(problems.some((p) => p.includes('broken-cel-rule') || p.includes('broken-backend'))).toBe(false);
  });

  it("is told apart from a field of Kubernetes 1.33 that kubectl-validate's bundled 1.30 schemas lack", () => {
    const deployment = rename(copy('Deployment'), 'uses-a-1.33-field');
    deployment.spec.template.spec.containers[0].lifecycle = { ...deployment.spec.template.spec.containers[0].lifecycle, stopSignal: 'SIGTERM' };
    expect(kubectlValidateProblems([deployment])).toEqual([]);
    // ...which the oldest supported Kubernetes would refuse.
    expect(kubectlValidateProblems([deployment], VENDORED_CRDS, 'minimum')).toEqual([expect.stringContaining('stopSignal')]);
  });

  it('fails kubectl-validate, CEL rules included', () => {
    const problems = kubectlValidateProblems([badDeployment(), removedField(), v1beta2(), celRule(), misspeltListener(), portlessBackend()]);
    for (const name of ['broken-deployment', 'broken-removed-field', 'broken-v1beta2', 'broken-cel-rule', 'broken-listener', 'broken-backend']) {
      expect(problems.filter((p) => p.includes(name))).not.toEqual([]);
    }
    expect(problems.find((p) => p.includes('broken-cel-rule'))).toContain('valueFrom property is required');
    expect(problems.find((p) => p.includes('broken-backend'))).toContain('Must have port for Service reference');
  });
});
