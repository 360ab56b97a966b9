import { oneShardRouter, queryDatabase, runningStack } from '@boxoffice/testing';
import { CommitRolledBackError } from '../../src/guarded-client.js';
import type { ShardRouter } from '../../src/shard-router.js';
import { WriteBatch } from '../../src/write-batch.js';

/**
 * A statement that fails aborts its transaction, and Postgres answers the
 * COMMIT that follows with ROLLBACK rather than an error. Work that caught
 * the statement's error and carried on must not be told its writes committed.
 */
const stack = runningStack();
const [shard0] = stack.databases.inventory;
const table = `rolled_back_test_${Math.random().toString(16).slice(2, 10)}`;

describe('a transaction whose failed statement was caught', () => {
  let router: ShardRouter;

  beforeAll(async () => {
    router = oneShardRouter(shard0.primary, 'commit-rolled-back-test');
    await router.initialize();
    await router.writer().query(`CREATE TABLE ${table} (id text PRIMARY KEY)`);
  });

  afterAll(async () => {
    await router.writer().query(`DROP TABLE ${table}`);
    await router.destroy();
  });

  const stored = async (id: string) => (await queryDatabase<{ id: string }>(shard0.primary, `SELECT id FROM ${table} WHERE id = $1`, [id])).length;

  async function writeAndSwallowAFailure(id: string): Promise<string> {
    return router.writer().transaction(async (manager) => {
      await manager.query(`INSERT INTO ${table} (id) VALUES ($1)`, [id]);
      await manager.query('SELECT 1 / 0').catch(() => undefined);
      return 'believed committed';
    });
  }

  it('fails instead of reporting a commit that did not happen', async () => {
    // TypeORM wraps what the driver threw in its QueryFailedError.
    await expect(writeAndSwallowAFailure('alone')).rejects.toMatchObject({ driverError: expect.any(CommitRolledBackError) });
    expect(await stored('alone')).toBe(0);
    // The connection went back to the pool usable.
    await router.writer().query(`INSERT INTO ${table} (id) VALUES ($1)`, ['after']);
    expect(await stored('after')).toBe(1);
  });

  it('fails a write batch too (its COMMIT is preceded by a statement that fails in an aborted transaction)', async () => {
    const batch = new WriteBatch();
    await batch.run(async () => {
      await router.writer().query(`INSERT INTO ${table} (id) VALUES ($1)`, ['batched']);
      await router.writer().transaction((manager) => manager.query('SELECT 1 / 0').catch(() => undefined));
    });
    expect(await batch.commit()).toBe(false);
    expect(await stored('batched')).toBe(0);
  });
});
