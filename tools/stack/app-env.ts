import * as fs from 'fs';
import * as path from 'path';
import { generateCallerTokenKeys } from '../../libs/platform/src/auth/caller-token-keys.js';
import { type BucketMapDefinition as BucketMap } from '../../libs/persistence/src/bucket-map.js';
import { APPS, type AppName, DATA_CONTEXTS } from './contexts.js';
import { type ResolvedOptions } from './options.js';
import { postgresUrl } from './pg-client.js';
import { loginOf, type PostgresPasswords } from './postgres-roles.js';
import { appPort, jaegerPorts, runsStorefront, storefrontPort, webhookTargets } from './port-layout.js';
import { type PgShardPlan } from './postgres-config.js';
import { statePaths, type StatePaths } from './paths.js';

/** One DB_SHARDS entry: where a context's database lives on one shard. */
export interface DbShardUrls {
  primary: string;
  replicas: string[];
}

export interface AppInstancePlan {
  id: string;
  app: AppName;
  replica: number;
  /** INSTANCE_ID, e.g. inventory-1 */
  instance: string;
  port: number;
  url: string;
  logFile: string;
}

export function appUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/**
 * Sharded contexts have a database on every shard; the others on shard 0
 * only. Each context logs in as its own role, which reaches no other
 * context's database (ADR 0046).
 */
export function contextDatabases(shards: PgShardPlan[], passwords: PostgresPasswords): Record<string, DbShardUrls[]> {
  return Object.fromEntries(
    DATA_CONTEXTS.map((context) => {
      const login = loginOf(passwords, context.name);
      return [
        context.name,
        (context.sharded ? shards : shards.slice(0, 1)).map((shard) => ({
          primary: postgresUrl(shard.primary.port, context.name, login),
          replicas: shard.replicas.map((r) => postgresUrl(r.port, context.name, login)),
        })),
      ];
    }),
  );
}

export function planApps(o: ResolvedOptions, paths: StatePaths): AppInstancePlan[] {
  return o.apps.flatMap((app) =>
    Array.from({ length: o.appReplicas[app] }, (_, replica) => {
      const port = appPort(o.portBase, app, replica);
      return {
        id: `app:${app}-${replica}`,
        app,
        replica,
        instance: `${app}-${replica}`,
        port,
        url: appUrl(port),
        logFile: path.join(paths.logsDir, `${app}-${replica}.log`),
      };
    }),
  );
}

export interface EnvInputs {
  options: ResolvedOptions;
  databases: Record<string, DbShardUrls[]>;
  bucketMap: BucketMap;
  kafkaBrokers: string[];
}

/** The environment an app process gets: the launcher's own, then the app's settings. */
export function appEnv(app: AppName, instance: string, port: number, inputs: EnvInputs): NodeJS.ProcessEnv {
  return { ...process.env, ...appSettings(app, instance, port, inputs) };
}

/**
 * The settings an app gets, and nothing else: the contract between the
 * launcher and apps/* (a container gets exactly these, tools/image).
 */
export function appSettings(app: AppName, instance: string, port: number, inputs: EnvInputs): Record<string, string> {
  const { options } = inputs;
  const env: Record<string, string> = {
    SERVICE_NAME: app,
    INSTANCE_ID: instance,
    PORT: String(port),
    KAFKA_BROKERS: inputs.kafkaBrokers.join(','),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    ...localSecretsAndSinks(options.stateDir),
    ...localWebhookTargets(options),
    // The stack's Jaeger (tools/stack/jaeger.ts); without it tracing is off.
    ...(options.tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: appUrl(jaegerPorts(options.portBase).otlpHttp) } : {}),
  };
  const keys = localCallerTokenKeys(options.stateDir);
  // Every app verifies with the public key; only the gateway holds the private one.
  env.CALLER_TOKEN_PUBLIC_KEYS = keys.publicKey;
  if (app === 'gateway') env.CALLER_TOKEN_SIGNING_KEY = keys.signingKey;
  const databases = inputs.databases[app];
  if (databases) {
    env.DB_SHARDS = JSON.stringify(databases);
    env.BUCKET_MAP = JSON.stringify(inputs.bucketMap);
  }
  if (app === 'gateway') {
    // Every upstream, started or not: the gateway answers 503 for one that is down.
    for (const upstream of APPS.filter((a) => a !== 'gateway')) {
      const urls = Array.from({ length: options.appReplicas[upstream] }, (_, r) => appUrl(appPort(options.portBase, upstream, r)));
      env[`${upstream.toUpperCase()}_URLS`] = urls.join(',');
    }
    // The storefront's pages call the gateway from their own origin (ADR 0033).
    if (runsStorefront(options)) env.CORS_ALLOWED_ORIGINS = appUrl(storefrontPort(options.portBase));
    // The console's trace waterfall reads the stack's Jaeger through the gateway (ADR 0037).
    if (options.tracing) env.TRACES_QUERY_URL = appUrl(jaegerPorts(options.portBase).ui);
  }
  return { ...env, ...options.extraEnv['*'], ...options.extraEnv[app] };
}

/** The local stacks' JWT_SECRET (tests sign tokens the demo route does not hand out with it: expired ones). */
export const LOCAL_JWT_SECRET = 'local-development-jwt-secret-not-for-production';

/**
 * Settings that a real deployment takes from its secret store and mail
 * server. The local stack uses fixed development values (they guard nothing
 * but a loopback-only stack; each carries the `not-for-production` marker
 * that a production boot refuses) and a mailbox folder the tests can read.
 */
function localSecretsAndSinks(stateDir: string): Record<string, string> {
  return {
    // Development: these defaults and demo tokens are allowed (libs/platform/src/deployment-environment.ts).
    BOXOFFICE_ENV: 'development',
    JWT_SECRET: LOCAL_JWT_SECRET,
    TICKET_SIGNING_SECRET: 'local-development-ticket-secret-not-for-production',
    WEBHOOK_SIGNING_SECRET: 'local-development-webhook-secret-not-for-production',
    MAILBOX_DIR: path.join(stateDir, 'mailbox'),
    // POST /auth/demo-token hands out tokens for demo users (README: "Try it").
    DEMO_AUTH: 'true',
  };
}

/**
 * Webhooks may reach the stack's own receiver, and nothing else on the
 * loopback, where every service of the stack listens; no other port of the
 * stack even if the allow-list is widened (docs/adr/0018-webhooks-never-reach-the-system.md).
 */
function localWebhookTargets(options: ResolvedOptions): NodeJS.ProcessEnv {
  const { allowedHosts, deniedAddresses } = webhookTargets(options);
  return { WEBHOOK_ALLOWED_HOSTS: allowedHosts, WEBHOOK_DENIED_ADDRESSES: deniedAddresses };
}

export interface CallerTokenKeys {
  /** CALLER_TOKEN_SIGNING_KEY: `<key id>:<base64 PKCS#8>`. */
  signingKey: string;
  /** CALLER_TOKEN_PUBLIC_KEYS: `<key id>:<base64 SPKI>`. */
  publicKey: string;
}

const keysByStateDir = new Map<string, CallerTokenKeys>();

/**
 * The stack's caller-token key pair: generated the first time a state dir is
 * used and kept there (readable by its owner only), so a restarted stack and
 * the tests that mint tokens for it agree; `npm run reset` makes a new one.
 */
export function localCallerTokenKeys(stateDir: string): CallerTokenKeys {
  const known = keysByStateDir.get(stateDir);
  if (known) return known;
  const file = statePaths(stateDir).callerTokenKeys;
  let keys: CallerTokenKeys;
  if (fs.existsSync(file)) {
    keys = JSON.parse(fs.readFileSync(file, 'utf8')) as CallerTokenKeys;
  } else {
    keys = generateCallerTokenKeys(`local-${Date.now().toString(36)}`);
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  }
  keysByStateDir.set(stateDir, keys);
  return keys;
}
