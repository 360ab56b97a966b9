import type { EntityManager } from 'typeorm';
import { eventually, oneShardRouter, queryDatabase, runningStack } from '@boxoffice/testing';
import { notifyOnCommit, writeRow } from '../../src/rows-written-together.js';
import { ShardListener } from '../../src/shard-listener.js';
import type { ShardRouter } from '../../src/shard-router.js';
import { WriteBatch } from '../../src/write-batch.js';

/**
 * The two calls a context's adapter makes to take part in batched writes
 * without knowing about them, against the stack's real Postgres: outside a
 * batch they act at once; in a batch, rows wait for one statement and
 * notifications for the commit, and a batch that fails sends nothing.
 */
const stack = runningStack();
const [shard0] = stack.databases.inventory;
const table = `together_test_${Math.random().toString(16).slice(2, 10)}`;
const channel = `together_${Math.random().toString(16).slice(2, 10)}`;

describe('rows written together', () => {
  let router: ShardRouter;
  let listener: ShardListener;
  const heard: string[] = [];
  let listening = false;
  const statements: string[][] = [];

  const writeRows = async (manager: EntityManager, ids: string[]) => {
    statements.push([...ids]);
    await manager.query(`INSERT INTO ${table} (id) SELECT * FROM unnest($1::text[])`, [ids]);
  };
  const stored = async (ids: string[]) => (await queryDatabase<{ id: string }>(shard0.primary, `SELECT id FROM ${table} WHERE id = ANY($1) ORDER BY id`, [ids])).map((r) => r.id);

  beforeAll(async () => {
    router = oneShardRouter(shard0.primary, 'rows-together-test', { poolSize: 4 });
    await router.initialize();
    await router.writer().query(`CREATE TABLE ${table} (id text PRIMARY KEY)`);
    listener = new ShardListener(router.shards[0], channel, { notified: (payload) => heard.push(payload), listening: () => (listening = true) }, 100);
    listener.start();
    await eventually(() => expect(listening).toBe(true));
  });

  afterAll(async () => {
    listener.stop();
    await router.writer().query(`DROP TABLE ${table}`);
    await router.destroy();
  });

  it('writes a row at once outside a batch', async () => {
    statements.length = 0;
    await router.writer().transaction(async (manager) => {
      await writeRow(manager, 'alone', writeRows);
      expect(await manager.query(`SELECT id FROM ${table} WHERE id = 'alone'`)).toEqual([{ id: 'alone' }]);
    });
    expect(statements).toEqual([['alone']]);
  });

  it("writes a batch's rows by one statement just before it commits", async () => {
    statements.length = 0;
    const batch = new WriteBatch();
    await batch.run(async () => {
      await router.writer().transaction((manager) => writeRow(manager, 'r1', writeRows));
      await router.writer().transaction((manager) => writeRow(manager, 'r2', writeRows));
    });
    expect(statements).toEqual([]);
    expect(await batch.commit()).toBe(true);
    expect(statements).toEqual([['r1', 'r2']]);
    expect(await stored(['r1', 'r2'])).toEqual(['r1', 'r2']);
  });

  it("notifies once a batch commits, every message's payload, and nothing for a batch that fails", async () => {
    heard.length = 0;
    const committed = new WriteBatch();
    await committed.run(async () => {
      await router.writer().transaction((manager) => notifyOnCommit(manager, channel, 'first'));
      await router.writer().transaction((manager) => notifyOnCommit(manager, channel, 'second'));
    });
    expect(await committed.commit()).toBe(true);

    await router.writer().query(`INSERT INTO ${table} (id) VALUES ('taken')`);
    const failed = new WriteBatch();
    await failed.run(async () => {
      await router.writer().transaction((manager) => notifyOnCommit(manager, channel, 'rolled-back'));
      await expect(router.writer().transaction((manager) => writeRow(manager, 'taken', writeRows))).resolves.toBeUndefined();
    });
    expect(await failed.commit()).toBe(false);

    // A plain transaction notifies on its own commit.
    await router.writer().transaction((manager) => notifyOnCommit(manager, channel, 'after'));
    await eventually(() => expect(heard).toEqual(['first', 'second', 'after']));
  });
});
