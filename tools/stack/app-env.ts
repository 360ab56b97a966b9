import * as path from 'path';
import { type BucketMapDefinition as BucketMap } from '../../libs/persistence/src/bucket-map.js';
import { APPS, type AppName, DATA_CONTEXTS } from './contexts.js';
import { type ResolvedOptions } from './options.js';
import { postgresUrl } from './pg-client.js';
import { appPort } from './port-layout.js';
import { type PgShardPlan } from './postgres-config.js';
import { type StatePaths } from './paths.js';

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

/** Sharded contexts have a database on every shard; the others on shard 0 only. */
export function contextDatabases(shards: PgShardPlan[]): Record<string, DbShardUrls[]> {
  return Object.fromEntries(
    DATA_CONTEXTS.map((context) => [
      context.name,
      (context.sharded ? shards : shards.slice(0, 1)).map((shard) => ({
        primary: postgresUrl(shard.primary.port, context.name),
        replicas: shard.replicas.map((r) => postgresUrl(r.port, context.name)),
      })),
    ]),
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
  };
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
  }
  return { ...env, ...options.extraEnv['*'], ...options.extraEnv[app] };
}

/**
 * Settings that a real deployment takes from its secret store and mail
 * server. The local stack uses fixed development values (they guard nothing
 * but a loopback-only stack) and a mailbox folder the tests can read.
 */
function localSecretsAndSinks(stateDir: string): Record<string, string> {
  return {
    JWT_SECRET: 'local-development-jwt-secret-not-for-production',
    TICKET_SIGNING_SECRET: 'local-development-ticket-secret',
    WEBHOOK_SIGNING_SECRET: 'local-development-webhook-secret',
    // Webhooks may reach only these hosts; the local stack's clients live on loopback.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    MAILBOX_DIR: path.join(stateDir, 'mailbox'),
    // POST /auth/demo-token hands out tokens for demo users (README: "Try it").
    DEMO_AUTH: 'true',
  };
}
