import { DataSource } from 'typeorm';
import { queryDatabase } from './database-probe.js';
import { runningStack } from './running-stack.js';

/**
 * A throwaway database on a real Postgres server of the running stack, for
 * integration tests that must not share tables with the running apps. The
 * stack's superuser creates it (no context's role may create databases),
 * owned by the role of `serverUrl`, which then migrates and uses it as its
 * context would its own.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM lists migrations as classes
export async function scratchDatabase(serverUrl: string, migrations: Function[]): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  const name = `scratch_${Date.now()}_${Math.random().toString(16).slice(2, 8)}`;
  const adminUrl = asAdmin(withDatabase(serverUrl, 'postgres'));
  const owner = decodeURIComponent(new URL(serverUrl).username);
  await queryDatabase(adminUrl, `CREATE DATABASE ${name} OWNER "${owner}"`);
  const dataSource = new DataSource({ type: 'postgres', url: withDatabase(serverUrl, name), migrations, extra: { max: 20 } });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await queryDatabase(adminUrl, `DROP DATABASE ${name} WITH (FORCE)`);
    },
  };
}

function asAdmin(url: string): string {
  const { user, password } = runningStack().postgresAdmin;
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
