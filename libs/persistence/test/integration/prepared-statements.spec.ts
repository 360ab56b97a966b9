import { oneShardRouter, runningStack } from '@boxoffice/testing';

/**
 * Statements with parameters run as named prepared statements (ADR 0016):
 * Postgres parses and plans a text once per connection. The session's own
 * `pg_prepared_statements` says which statements it holds.
 */
const stack = runningStack();
const [shard0] = stack.databases.inventory;

const PARAMETRISED = 'SELECT $1::int + 1 AS next';

async function preparedInOneSession(preparedStatements: boolean): Promise<{ next: number; prepared: { name: string; statement: string }[] }> {
  const router = oneShardRouter(shard0.primary, 'prepared-statements-test', { poolSize: 1, preparedStatements });
  try {
    await router.initialize();
    return await router.writer().transaction(async (manager) => {
      await manager.query(PARAMETRISED, [1]);
      const [{ next }] = await manager.query(PARAMETRISED, [41]);
      await manager.query('SELECT 2 AS two');
      // Read without parameters, so this reading is not itself prepared.
      const prepared = await manager.query('SELECT name, statement FROM pg_prepared_statements ORDER BY name');
      return { next, prepared };
    });
  } finally {
    await router.destroy();
  }
}

describe('prepared statements', () => {
  it('prepares a statement with parameters once per connection, and leaves one without parameters alone', async () => {
    const { next, prepared } = await preparedInOneSession(true);

    expect(next).toBe(42);
    const statements = prepared.map((p) => p.statement);
    expect(statements.filter((s) => s === PARAMETRISED)).toHaveLength(1);
    expect(statements).not.toContain('SELECT 2 AS two');
    expect(prepared.find((p) => p.statement === PARAMETRISED)?.name).toMatch(/^boxoffice_\d+$/);
  });

  it('prepares nothing when switched off (DB_PREPARED_STATEMENTS=false, for a pooler that cannot keep them)', async () => {
    const { next, prepared } = await preparedInOneSession(false);

    expect(next).toBe(42);
    expect(prepared).toEqual([]);
  });
});
