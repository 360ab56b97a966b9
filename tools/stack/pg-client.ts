import { createRequire } from 'module';

/**
 * A thin typed wrapper over node-postgres for the launcher's few admin queries.
 * The repo has no @types/pg, and an ambient `declare module 'pg'` here would
 * clash with it once someone adds it, so the little we use is typed locally.
 */
interface PgClient {
  connect(): Promise<void>;
  query<R>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): void;
}

interface PgModule {
  Client: new (config: Record<string, unknown>) => PgClient;
}

// pg is CommonJS without bundled types; createRequire loads it from this ES module.
const pg = createRequire(import.meta.url)('pg') as PgModule;

/** A role and its password (every role of the stack has one: tools/stack/postgres-roles.ts). */
export interface PgLogin {
  user: string;
  password: string;
}

export function postgresUrl(port: number, database: string, login: PgLogin): string {
  return `postgres://${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@127.0.0.1:${port}/${database}`;
}

/**
 * Runs `work` with a fresh connection, always closed afterwards. The admin
 * session commits locally: while its standbys are not streaming yet, a
 * synchronous commit (CREATE DATABASE, slot changes) would wait forever.
 */
export async function withClient<T>(login: PgLogin, port: number, database: string, work: (query: PgQuery) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: login.user,
    password: login.password,
    database,
    connectionTimeoutMillis: 2_000,
    options: '-c synchronous_commit=local',
  });
  client.on('error', () => {}); // a node going away mid-poll must not crash the launcher
  await client.connect();
  try {
    return await work((sql, values) => client.query(sql, values).then((r) => r.rows as never));
  } finally {
    await client.end().catch(() => {});
  }
}

export type PgQuery = <R = Record<string, unknown>>(sql: string, values?: unknown[]) => Promise<R[]>;
