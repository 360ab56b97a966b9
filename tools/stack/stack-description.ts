import { type AppInstancePlan, type DbShardUrls } from './app-env.js';
import { type BucketMapDefinition as BucketMap } from '../../libs/persistence/src/bucket-map.js';
import { type KafkaBrokerPlan } from './kafka-config.js';
import { displayPath, statePaths } from './paths.js';
import { type PgLogin } from './pg-client.js';
import { type PgNodePlan, type PgShardPlan } from './postgres-config.js';
import { seconds } from './progress.js';
import { STOREFRONT_ID, type StorefrontPlan } from './web-process.js';
import { WEBHOOK_RECEIVER_ID, type WebhookReceiverPlan } from './webhook-receiver-process.js';
import { JAEGER_ID, type JaegerPlan } from './jaeger.js';

/** What a running stack looks like; written to <stateDir>/stack.json for tests and `status`. */
export interface PgNodeInfo {
  id: string;
  port: number;
  pid: number | null;
  dataDir: string;
  log: string;
}

export interface AppInstanceInfo {
  id: string;
  instance: string;
  port: number;
  url: string;
  pid: number | null;
  log: string;
}

export interface StackDescription {
  /** null when the gateway was not started. */
  gatewayUrl: string | null;
  docsUrl: string | null;
  stateDir: string;
  logsDir: string;
  portBase: number;
  kafka: { brokers: string[]; nodes: { id: string; port: number; pid: number | null; log: string }[] };
  postgres: { shards: { primary: PgNodeInfo; replicas: PgNodeInfo[] }[] };
  /** Per context, the same value as its DB_SHARDS: URLs with the context's own role and password. */
  databases: Record<string, DbShardUrls[]>;
  /** The superuser the launcher creates databases and roles with; for tests that need an admin (scratch databases). No app gets it. */
  postgresAdmin: PgLogin;
  bucketMap: BucketMap;
  apps: Record<string, AppInstanceInfo[]>;
  /** The demo client that webhooks may reach (GET <url>/webhooks lists them); null when notifications was not started. */
  webhookReceiver: { url: string; port: number; pid: number | null; log: string } | null;
  /** The trace backend: its UI and query API (`<url>/api/traces/<trace id>`), and the OTLP endpoint the apps send to; null with tracing off. */
  jaeger: { url: string; otlpEndpoint: string; pid: number | null; log: string } | null;
  /** The storefront's pages (apps/web); null when the gateway was not started. */
  storefront: { url: string; port: number; pid: number | null; log: string } | null;
  /** The file with this stack's caller-token keys, for tests that call a context directly (libs/testing). */
  callerTokenKeys: string;
  startedAt: string;
  startupMs: number;
  /** Duration per phase, in ms. */
  phases: Record<string, number>;
  /** False when existing clusters were reused. */
  freshState: boolean;
}

export interface DescriptionInputs {
  stateDir: string;
  logsDir: string;
  portBase: number;
  postgres: PgShardPlan[];
  kafka: KafkaBrokerPlan[];
  apps: AppInstancePlan[];
  receiver?: WebhookReceiverPlan;
  jaeger?: JaegerPlan;
  storefront?: StorefrontPlan;
  databases: Record<string, DbShardUrls[]>;
  postgresAdmin: PgLogin;
  bucketMap: BucketMap;
  freshState: boolean;
  pidOf: (id: string) => number | undefined;
}

export function describeStack(i: DescriptionInputs, startedAt: number, phases: Record<string, number>): StackDescription {
  const pgNode = (n: PgNodePlan): PgNodeInfo => ({ id: n.id, port: n.port, pid: i.pidOf(n.id) ?? null, dataDir: n.dataDir, log: n.logFile });
  const apps: Record<string, AppInstanceInfo[]> = {};
  for (const plan of i.apps) {
    (apps[plan.app] ??= []).push({
      id: plan.id,
      instance: plan.instance,
      port: plan.port,
      url: plan.url,
      pid: i.pidOf(plan.id) ?? null,
      log: plan.logFile,
    });
  }
  const gateway = apps.gateway?.[0]?.url ?? null;
  return {
    gatewayUrl: gateway,
    docsUrl: gateway && `${gateway}/docs`,
    stateDir: i.stateDir,
    logsDir: i.logsDir,
    portBase: i.portBase,
    kafka: {
      brokers: i.kafka.map((b) => `127.0.0.1:${b.port}`),
      nodes: i.kafka.map((b) => ({ id: b.id, port: b.port, pid: i.pidOf(b.id) ?? null, log: b.logFile })),
    },
    postgres: { shards: i.postgres.map((s) => ({ primary: pgNode(s.primary), replicas: s.replicas.map(pgNode) })) },
    databases: i.databases,
    postgresAdmin: i.postgresAdmin,
    bucketMap: i.bucketMap,
    apps,
    webhookReceiver: i.receiver ? { url: i.receiver.url, port: i.receiver.port, pid: i.pidOf(WEBHOOK_RECEIVER_ID) ?? null, log: i.receiver.logFile } : null,
    jaeger: i.jaeger ? { url: i.jaeger.url, otlpEndpoint: i.jaeger.otlpEndpoint, pid: i.pidOf(JAEGER_ID) ?? null, log: i.jaeger.logFile } : null,
    storefront: i.storefront ? { url: i.storefront.url, port: i.storefront.port, pid: i.pidOf(STOREFRONT_ID) ?? null, log: i.storefront.logFile } : null,
    callerTokenKeys: statePaths(i.stateDir).callerTokenKeys,
    startedAt: new Date(startedAt).toISOString(),
    startupMs: Date.now() - startedAt,
    phases: { ...phases },
    freshState: i.freshState,
  };
}

/** Refreshes the pids after a process was stopped or started (fault tests). */
export function refreshPids(d: StackDescription, pidOf: (id: string) => number | undefined): void {
  for (const shard of d.postgres.shards) for (const node of [shard.primary, ...shard.replicas]) node.pid = pidOf(node.id) ?? null;
  for (const node of d.kafka.nodes) node.pid = pidOf(node.id) ?? null;
  for (const instances of Object.values(d.apps)) for (const app of instances) app.pid = pidOf(app.id) ?? null;
  if (d.webhookReceiver) d.webhookReceiver.pid = pidOf(WEBHOOK_RECEIVER_ID) ?? null;
  if (d.jaeger) d.jaeger.pid = pidOf(JAEGER_ID) ?? null;
  if (d.storefront) d.storefront.pid = pidOf(STOREFRONT_ID) ?? null;
}

/** The end-of-start summary, also printed by `status`. */
export function summaryLines(d: StackDescription): string[] {
  const pad = (label: string) => `  ${label.padEnd(18)}`;
  const lines: string[] = [];
  if (d.storefront) lines.push(`${pad('storefront')}${d.storefront.url}   open it in a browser   log: ${displayPath(d.storefront.log)}`);
  if (d.storefront) lines.push(`${pad('console')}${d.storefront.url}/console   the operations console (signs in as the demo admin)`);
  if (d.gatewayUrl) lines.push(`${pad('gateway')}${d.gatewayUrl}   API docs: ${d.docsUrl}`);
  for (const instances of Object.values(d.apps)) {
    for (const app of instances) lines.push(`${pad(app.instance)}${app.url}   log: ${displayPath(app.log)}`);
  }
  if (d.webhookReceiver) lines.push(`${pad('webhook receiver')}${d.webhookReceiver.url}   received: ${d.webhookReceiver.url}/webhooks`);
  if (d.jaeger) lines.push(`${pad('traces (jaeger)')}${d.jaeger.url}   query API only (built without its UI): GET ${d.jaeger.url}/api/v3/traces/<trace id>`);
  if (d.jaeger && d.storefront) lines.push(`${pad('trace waterfall')}${d.storefront.url}/console/traces/<trace id>   one trace in the console; an order's page links its own (ADR 0037)`);
  for (const [s, shard] of d.postgres.shards.entries()) {
    const replicas = shard.replicas.map((r) => `127.0.0.1:${r.port}`).join(', ') || 'none';
    lines.push(`${pad(s === 0 ? 'postgres' : '')}shard ${s}: primary 127.0.0.1:${shard.primary.port}, replicas ${replicas}`);
  }
  lines.push(`${pad('kafka')}${d.kafka.brokers.join(',')}`);
  lines.push(`${pad('logs')}${displayPath(d.logsDir)}`);
  const phases = Object.entries(d.phases)
    .map(([name, ms]) => `${name} ${seconds(ms)}`)
    .join(', ');
  lines.push(`cold start took ${seconds(d.startupMs)}${d.freshState ? '' : ' (existing data reused)'}: ${phases}`);
  return lines;
}
