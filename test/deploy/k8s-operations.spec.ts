import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { messageRetentionFromEnv } from '../../libs/platform/src/boot-settings.js';
import { APPS, DEPLOYABLES } from '../../tools/stack/contexts.js';
import { containerEnv } from './container-env.js';
import {
  ROOT,
  crdProblems,
  documentedSecrets,
  kubectlValidateProblems,
  loadCrdValidators,
  matches,
  parseYamlDocuments,
  renderOverlay,
  vendoredCrdFiles,
  type K8sObject,
} from './deploy-files.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */

/**
 * What running the overlays in production takes beyond valid objects: pods
 * that stop without dropping requests, no API credentials in any pod, topics
 * that say their own durability and retention, metrics for everything,
 * backups, a public edge, and images that do not move under a rollout.
 */
const OVERLAYS = ['local', 'production'] as const;
const rendered = new Map<string, K8sObject[]>();
const objects = (overlay: string) => {
  if (!rendered.has(overlay)) rendered.set(overlay, renderOverlay(overlay));
  return rendered.get(overlay)!;
};
const ofKind = (overlay: string, kind: string) => objects(overlay).filter((o) => o.kind === kind);
const named = (overlay: string, kind: string, name: string) => {
  const found = ofKind(overlay, kind).find((o) => o.metadata.name === name);
  if (!found) throw new Error(`${overlay}: no ${kind} named ${name}`);
  return found;
};
const withSecrets = (overlay: string) => (overlay === 'production' ? [...objects(overlay), ...documentedSecrets()] : objects(overlay));

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  it.each([...DEPLOYABLES])('gives %s its own ServiceAccount and mounts no API token', (app) => {
    const account = named(overlay, 'ServiceAccount', app);
    expect(account.automountServiceAccountToken).toBe(false);
    const pod = named(overlay, 'Deployment', app).spec.template.spec;
    expect(pod.serviceAccountName).toBe(app);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it.each([...DEPLOYABLES])('stops %s without dropping requests: out of the endpoints first, then a drain within the grace period', (app) => {
    const pod = named(overlay, 'Deployment', app).spec.template.spec;
    const main = pod.containers.find((c: any) => c.name === 'app');
    const sleep = main.lifecycle.preStop.sleep.seconds;
    expect(sleep).toBeGreaterThanOrEqual(3);
    // The drain: the HTTP requests in flight (the gateway's upstream timeout is 5 s, a long poll 30 s),
    // the consumers' batch in hand, the relays' round.
    expect(pod.terminationGracePeriodSeconds - sleep).toBeGreaterThanOrEqual(35);
  });

  it('has topics that require the in-sync replicas the brokers do, and keep a message for less time than any consumer keeps its inbox row', () => {
    const kafkaConfig = ofKind(overlay, 'Kafka')[0].spec.kafka.config;
    // The gateway's seat feed keeps no inbox: it reads from the end of the topic and commits nothing (ADR 0033).
    const consumers = ofKind(overlay, 'Deployment').filter((d) => d.spec.template.metadata.labels['boxoffice.io/kafka-client'] === 'true' && d.metadata.name !== 'gateway');
    const inboxSeconds = consumers.map((d) => {
      const main = d.spec.template.spec.containers.find((c: any) => c.name === 'app');
      return messageRetentionFromEnv(containerEnv(withSecrets(overlay), { name: d.metadata.name, namespace: 'boxoffice' }, main)).inboxSeconds;
    });
    for (const topic of ofKind(overlay, 'KafkaTopic')) {
      expect(topic.spec.config['min.insync.replicas']).toBe(kafkaConfig['min.insync.replicas']);
      expect(topic.spec.config['min.insync.replicas']).toBeLessThan(Math.max(topic.spec.replicas, 2));
      // A redelivered message must still find its inbox row: the topic forgets it first, by a day at least.
      expect(topic.spec.config['retention.ms'] + 86_400_000).toBeLessThanOrEqual(Math.min(...inboxSeconds) * 1000);
    }
  });

  it('has the brokers expose their metrics through Strimzi’s metrics reporter', () => {
    const metrics = ofKind(overlay, 'Kafka')[0].spec.kafka.metricsConfig;
    expect(metrics.type).toBe('strimziMetricsReporter');
    expect(metrics.values.allowList.length).toBeGreaterThan(0);
  });
});

describe('k8s/overlays/production', () => {
  const overlay = 'production';

  it('pins every image by an exact tag or a digest', () => {
    const images = [
      ...ofKind(overlay, 'Deployment').flatMap((d) => [...(d.spec.template.spec.initContainers ?? []), ...d.spec.template.spec.containers].map((c: any) => c.image as string)),
      ...ofKind(overlay, 'ImageCatalog').flatMap((c) => c.spec.images.map((i: any) => i.image as string)),
    ];
    expect(images.length).toBeGreaterThan(APPS.length);
    // The shards take their image from the catalog, by major, never from a tag of their own.
    for (const cluster of ofKind(overlay, 'Cluster')) {
      expect(cluster.spec.imageName).toBeUndefined();
      const ref = cluster.spec.imageCatalogRef;
      const catalog = ofKind(overlay, ref.kind).find((c) => c.metadata.name === ref.name)!;
      expect(catalog.spec.images.map((i: any) => i.major)).toContain(ref.major);
    }
    for (const image of images) expect(image).toMatch(/(@sha256:[0-9a-f]{64}|:(?!latest$)[0-9][\w.-]*)$/);
    // Kafka's image is the operator's for spec.kafka.version: exact as well.
    expect(ofKind(overlay, 'Kafka')[0].spec.kafka.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exposes the gateway and the storefront, and nothing else, each on its own host through a TLS listener of one Gateway', () => {
    expect(ofKind(overlay, 'Ingress')).toEqual([]);
    const gateways = ofKind(overlay, 'Gateway');
    expect(gateways).toHaveLength(1);
    const [edge] = gateways;
    expect(edge.spec.gatewayClassName).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    // Labels some implementations copy onto their data plane: never the one boxoffice-default-deny selects.
    expect(edge.metadata.labels?.['app.kubernetes.io/part-of']).toBeUndefined();
    const listener = (name: string) => edge.spec.listeners.find((l: any) => l.name === name);
    const routes = ofKind(overlay, 'HTTPRoute');
    expect(routes.map((r) => r.metadata.name).sort()).toEqual(['gateway', 'https-redirect', 'web']);
    for (const app of ['gateway', 'web']) {
      const route = named(overlay, 'HTTPRoute', app);
      expect(route.spec.parentRefs).toHaveLength(1);
      const [parent] = route.spec.parentRefs;
      expect(parent.name).toBe(edge.metadata.name);
      const https = listener(parent.sectionName);
      expect(https).toMatchObject({ protocol: 'HTTPS', port: 443, tls: { mode: 'Terminate' } });
      expect(https.tls.certificateRefs).toEqual([{ kind: 'Secret', name: expect.stringMatching(/-tls$/) }]);
      expect(route.spec.hostnames).toEqual([https.hostname]);
      const backends = route.spec.rules.flatMap((r: any) => r.backendRefs);
      const service = named(overlay, 'Service', app);
      expect(backends).toEqual([{ name: app, port: service.spec.ports.find((p: any) => p.name === 'http').port }]);
    }
    // Plain HTTP only redirects, on both hosts, to HTTPS.
    const redirect = named(overlay, 'HTTPRoute', 'https-redirect');
    expect(listener(redirect.spec.parentRefs[0].sectionName)).toMatchObject({ protocol: 'HTTP', port: 80 });
    expect(redirect.spec.hostnames.sort()).toEqual(['gateway', 'web'].map((app) => named(overlay, 'HTTPRoute', app).spec.hostnames[0]).sort());
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
    expect(redirect.spec.rules.some((r: any) => r.backendRefs)).toBe(false);
    // Only this namespace's routes attach; every listener is used.
    for (const l of edge.spec.listeners) expect(l.allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
    expect(new Set(routes.flatMap((r) => r.spec.parentRefs.map((p: any) => p.sectionName)))).toEqual(new Set(edge.spec.listeners.map((l: any) => l.name)));
  });

  it("admits the Gateway's data plane, and only it, to the gateway's and the storefront's pods, on the port the routes use", () => {
    const [edge] = ofKind(overlay, 'Gateway');
    // What an implementation that deploys the data plane in the Gateway's namespace labels its pods with (GEP-1762).
    const dataPlane = { 'gateway.networking.k8s.io/gateway-name': edge.metadata.name };
    for (const app of ['gateway', 'web']) {
      const podLabels = named(overlay, 'Deployment', app).spec.template.metadata.labels;
      const rules = ofKind(overlay, 'NetworkPolicy')
        .filter((p) => matches(p.spec.podSelector.matchLabels, podLabels))
        .flatMap((p) => p.spec.ingress ?? [])
        .filter((rule: any) => rule.from.some((peer: any) => !peer.namespaceSelector && matches(peer.podSelector?.matchLabels, dataPlane)));
      expect(rules.flatMap((rule: any) => rule.ports)).toEqual([{ protocol: 'TCP', port: 8080 }]);
      const route = named(overlay, 'HTTPRoute', app);
      expect(route.spec.rules[0].backendRefs[0].port).toBe(8080);
      expect(named(overlay, 'Deployment', app).spec.template.spec.containers[0].ports.find((p: any) => p.name === 'http').containerPort).toBe(8080);
    }
  });

  it("points the storefront's pages at the gateway's public host, and lets the gateway answer the storefront's origin (ADR 0033)", () => {
    const host = (name: string) => named(overlay, 'HTTPRoute', name).spec.hostnames[0];
    const env = (app: string, name: string) => named(overlay, 'Deployment', app).spec.template.spec.containers.find((c: any) => c.name === 'app').env.find((e: any) => e.name === name)?.value;
    expect(env('web', 'API_URL')).toBe(`https://${host('gateway')}`);
    expect(env('gateway', 'CORS_ALLOWED_ORIGINS')).toBe(`https://${host('web')}`);
  });

  it('archives every shard’s WAL and backs it up every night to the object store the user names', () => {
    const clusters = ofKind(overlay, 'Cluster');
    const store = parseYamlDocuments(readFileSync(join(ROOT, 'k8s/overlays/production/backup-object-store.example.yaml'), 'utf8'))[0];
    for (const cluster of clusters) {
      const archivers = (cluster.spec.plugins ?? []).filter((p: any) => p.isWALArchiver);
      expect(archivers).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: store.metadata.name } }]);
      const backups = ofKind(overlay, 'ScheduledBackup').filter((b) => b.spec.cluster.name === cluster.metadata.name);
      expect(backups).toHaveLength(1);
      expect(backups[0].spec).toMatchObject({ method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } });
    }
  });

  it('has an example object store that the vendored plugin CRD accepts, for the user to copy', () => {
    const store = parseYamlDocuments(readFileSync(join(ROOT, 'k8s/overlays/production/backup-object-store.example.yaml'), 'utf8'));
    expect(store.map((o) => o.kind)).toEqual(['ObjectStore']);
    expect(crdProblems(store, loadCrdValidators(vendoredCrdFiles()))).toEqual([]);
    expect(kubectlValidateProblems(store)).toEqual([]);
  });

  it('has the object store read its credentials from a Secret that docs/deployment.md creates, with those keys', () => {
    const store = parseYamlDocuments(readFileSync(join(ROOT, 'k8s/overlays/production/backup-object-store.example.yaml'), 'utf8'))[0];
    const references: { name: string; key: string }[] = Object.values(store.spec.configuration.s3Credentials);
    expect(references.length).toBeGreaterThan(0);
    const secrets = documentedSecrets();
    for (const { name, key } of references) {
      const secret = secrets.find((s) => s.metadata.name === name && s.metadata.namespace === store.metadata.namespace);
      expect([name, key, Object.keys(secret?.data ?? {})]).toEqual([name, key, expect.arrayContaining([key])]);
    }
  });

  it('has PodMonitors for the apps, every Postgres instance and the Kafka brokers, on ports those pods name', () => {
    const monitors = ofKind(overlay, 'PodMonitor');
    const apps = monitors.find((m) => m.metadata.name === 'boxoffice-apps')!;
    for (const deployment of ofKind(overlay, 'Deployment')) {
      expect(matches(apps.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
      expect(deployment.spec.template.spec.containers[0].ports.map((p: any) => p.name)).toContain(apps.spec.podMetricsEndpoints[0].port);
    }
    const postgres = monitors.find((m) => m.metadata.name === 'boxoffice-postgres')!;
    expect(postgres.spec.selector.matchExpressions[0].values.sort()).toEqual(ofKind(overlay, 'Cluster').map((c) => c.metadata.name).sort());
    // CloudNativePG names its exporter's port "metrics", Strimzi its reporter's "tcp-prometheus".
    expect(postgres.spec.podMetricsEndpoints[0].port).toBe('metrics');
    const kafka = monitors.find((m) => m.metadata.name === 'boxoffice-kafka')!;
    expect(kafka.spec.selector.matchLabels['strimzi.io/cluster']).toBe(ofKind(overlay, 'Kafka')[0].metadata.name);
    expect(kafka.spec.podMetricsEndpoints[0].port).toBe('tcp-prometheus');
  });
});
