import { BucketMap } from '../../libs/persistence/src/bucket-map.js';
import { appEnv, contextDatabases } from '../../tools/stack/app-env.js';
import { type AppName } from '../../tools/stack/contexts.js';
import { resolveOptions } from '../../tools/stack/options.js';
import { roleNames } from '../../tools/stack/postgres-roles.js';
import { type PgShardPlan } from '../../tools/stack/postgres-config.js';

/** Two shards of a primary and one standby, as the local stack and the deployments have. */
export const SHARDS = 2;

/**
 * The names of the settings the local stack launcher gives an app
 * (tools/stack/app-env.ts): the contract every deployment must honour.
 */
export function launcherEnvNames(app: AppName): string[] {
  const node = (port: number) => ({ port }) as PgShardPlan['primary'];
  const shards = Array.from({ length: SHARDS }, (_, shard) => ({ shard, primary: node(1000 + shard), replicas: [node(2000 + shard)] }));
  const inputs = {
    options: resolveOptions({ stateDir: '.boxoffice/contract' }),
    databases: contextDatabases(shards, Object.fromEntries(roleNames().map((role) => [role, `${role}-password`]))),
    bucketMap: BucketMap.even(SHARDS).definition,
    kafkaBrokers: ['127.0.0.1:9092'],
  };
  // appEnv starts from the caller's environment: hide it, so only the contract remains.
  const saved = process.env;
  process.env = {};
  try {
    return Object.keys(appEnv(app, `${app}-0`, 8080, inputs)).sort();
  } finally {
    process.env = saved;
  }
}

/**
 * Names a container may have beyond the launcher's: where to listen, the DB password for DB_SHARDS, the pool size of the
 * connection budget, optional mail server, and the secrets being retired during a rollover (empty otherwise).
 */
export const DEPLOYMENT_ONLY_ENV = ['HOST', 'DB_PASSWORD', 'DB_POOL_SIZE', 'SMTP_URL', 'JWT_PREVIOUS_SECRET', 'TICKET_PREVIOUS_SIGNING_SECRET', 'WEBHOOK_PREVIOUS_SIGNING_SECRET'];
