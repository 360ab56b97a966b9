import { z } from 'zod';
import { BucketMap, BucketMapSchema } from './bucket-map.js';

/**
 * A node's URL, with the context's own role and its password in it: each
 * context logs in as a role that reaches no other context's database
 * (docs/adr/0046-a-database-role-per-context.md), so a URL without them
 * is a deployment mistake to stop at boot, not a connection to retry. The
 * messages never repeat the URL: it holds a password.
 */
const NodeUrlSchema = z
  .string()
  .startsWith('postgres://')
  .superRefine((url, ctx) => {
    if (url.includes('$(')) {
      ctx.addIssue({ code: 'custom', message: 'holds an unexpanded $(NAME): the variable with the database password is not set before DB_SHARDS' });
      return;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a valid URL' });
      return;
    }
    if (!parsed.username) ctx.addIssue({ code: 'custom', message: "names no database role: postgres://<the context's role>:<password>@host:port/database" });
    else if (!parsed.password) ctx.addIssue({ code: 'custom', message: `gives no password for the database role ${decodeURIComponent(parsed.username)}` });
  });

/** One physical shard of a context's database: a primary and its streaming replicas. */
export const ShardConnectionSchema = z.object({
  primary: NodeUrlSchema,
  replicas: z.array(NodeUrlSchema).default([]),
});
export type ShardConnection = z.infer<typeof ShardConnectionSchema>;

export interface DatabaseConfig {
  shards: ShardConnection[];
  bucketMap: BucketMap;
  /** How long a CP write may wait for its commit before answering 503 (DB_WRITE_TIMEOUT_MS). */
  writeTimeoutMs?: number;
  /**
   * Statements with parameters run as named prepared statements (DB_PREPARED_STATEMENTS,
   * default true; false for a pooler that cannot keep them, ADR 0016).
   */
  preparedStatements?: boolean;
  /**
   * Most connections a process opens to each database node (DB_POOL_SIZE,
   * default 10): replicas × pool size per node is what a deployment's
   * connection budget counts against max_connections (docs/deployment.md).
   */
  poolSize?: number;
}

export const DEFAULT_POOL_SIZE = 10;

/**
 * Below the gateway's 5 s upstream timeout, so the client gets our 503 (with
 * Retry-After) rather than the gateway giving up and trying another replica.
 */
export const DEFAULT_WRITE_TIMEOUT_MS = 3000;

/**
 * Reads `DB_SHARDS` (JSON array of shard connections) and `BUCKET_MAP` (JSON,
 * optional: defaults to an even split) and fails with a message naming the
 * setting when either is missing or malformed.
 */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const shards = parseJsonSetting('DB_SHARDS', env.DB_SHARDS, z.array(ShardConnectionSchema).min(1));
  // A context with one database is unsharded: every key maps to it, whatever the map says.
  const bucketMap =
    env.BUCKET_MAP && shards.length > 1
      ? new BucketMap(parseJsonSetting('BUCKET_MAP', env.BUCKET_MAP, BucketMapSchema))
      : BucketMap.even(shards.length);
  if (bucketMap.shardCount() > shards.length) {
    throw new Error(`BUCKET_MAP names shard ${bucketMap.shardCount() - 1} but DB_SHARDS lists only ${shards.length} shard(s)`);
  }
  const writeTimeoutMs = Number(env.DB_WRITE_TIMEOUT_MS ?? DEFAULT_WRITE_TIMEOUT_MS);
  if (!Number.isInteger(writeTimeoutMs) || writeTimeoutMs < 100) throw new Error('Setting DB_WRITE_TIMEOUT_MS must be a whole number of milliseconds, at least 100');
  const prepared = env.DB_PREPARED_STATEMENTS ?? 'true';
  if (prepared !== 'true' && prepared !== 'false') throw new Error('Setting DB_PREPARED_STATEMENTS must be true or false');
  const poolSize = Number(env.DB_POOL_SIZE ?? DEFAULT_POOL_SIZE);
  if (!Number.isInteger(poolSize) || poolSize < 2 || poolSize > 100) throw new Error('Setting DB_POOL_SIZE must be a whole number from 2 to 100 (connections per database node)');
  return { shards, bucketMap, writeTimeoutMs, preparedStatements: prepared === 'true', poolSize };
}

function parseJsonSetting<T>(name: string, raw: string | undefined, schema: z.ZodType<T>): T {
  if (!raw) throw new Error(`Missing setting ${name}`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`Setting ${name} is not valid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`Setting ${name} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
