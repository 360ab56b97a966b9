import { jest } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { oneShardRouter, queryDatabase, runningStack } from '@boxoffice/testing';
import { DatabaseUnavailableError } from '../../src/database-unavailable.js';
import type { ShardRouter } from '../../src/shard-router.js';
import { WriteBatch, WriteBatchAbandonedError } from '../../src/write-batch.js';

/**
 * Writes made through a ShardWriter while a WriteBatch is current share one
 * transaction per shard, against the stack's real Postgres: nothing is seen
 * before the batch commits, everything after; one failure leaves nothing.
 */
const stack = runningStack();
const [shard0] = stack.databases.inventory;
const table = `batch_test_${Math.random().toString(16).slice(2, 10)}`;

describe('a write batch', () => {
  let router: ShardRouter;

  beforeAll(async () => {
    router = oneShardRouter(shard0.primary, 'write-batch-test', { poolSize: 4 });
    await router.initialize();
    await router.writer().query(`CREATE TABLE ${table} (id text PRIMARY KEY, note text)`);
  });

  afterAll(async () => {
    await router.writer().query(`DROP TABLE ${table}`);
    await router.destroy();
  });

  const insert = (id: string) => router.writer().query(`INSERT INTO ${table} (id) VALUES ($1)`, [id]);
  const stored = async (ids: string[]) => (await queryDatabase<{ id: string }>(shard0.primary, `SELECT id FROM ${table} WHERE id = ANY($1) ORDER BY id`, [ids])).map((r) => r.id);

  it('commits every write in one transaction, and wakes up only after the commit', async () => {
    const batch = new WriteBatch();
    const woken: string[] = [];
    await batch.run(async () => {
      await insert('a1');
      await insert('a2');
      WriteBatch.afterCommit(() => woken.push('relay'));
      // Not committed yet: neither another session nor a wake-up sees anything.
      expect(await stored(['a1', 'a2'])).toEqual([]);
      expect(woken).toEqual([]);
    });
    expect(await batch.commit()).toBe(true);
    expect(await stored(['a1', 'a2'])).toEqual(['a1', 'a2']);
    expect(woken).toEqual(['relay']);
    const transactions = await queryDatabase<{ xmin: string }>(shard0.primary, `SELECT DISTINCT xmin::text FROM ${table} WHERE id = ANY($1)`, [['a1', 'a2']]);
    expect(transactions).toHaveLength(1);
  });

  it('leaves nothing when one write fails, and refuses any write after it', async () => {
    await insert('taken');
    const batch = new WriteBatch();
    const woken: string[] = [];
    await batch.run(async () => {
      await insert('b1');
      WriteBatch.afterCommit(() => woken.push('relay'));
      await expect(insert('taken')).rejects.toThrow(/duplicate key/);
      await expect(insert('b2')).rejects.toBeInstanceOf(WriteBatchAbandonedError);
    });
    expect(batch.failed).toBe(true);
    expect(await batch.commit()).toBe(false);
    expect(await stored(['b1', 'b2'])).toEqual([]);
    expect(woken).toEqual([]);
  });

  it('gives up on a row another transaction holds, instead of waiting for it', async () => {
    await insert('locked');
    const holder = router.shards[0].primaryDataSource().createQueryRunner('master');
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT * FROM ${table} WHERE id = 'locked' FOR UPDATE`);
      const batch = new WriteBatch();
      await batch.run(async () => {
        await expect(router.writer().query(`UPDATE ${table} SET note = 'batch' WHERE id = 'locked'`)).rejects.toThrow(/lock timeout/);
      });
      expect(await batch.commit()).toBe(false);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('is no batch any more once it has ended, even to work that kept it as its context', async () => {
    const batch = new WriteBatch();
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let later: Promise<WriteBatch | undefined> | undefined;
    await batch.run(async () => {
      await insert('c1');
      // Work that outlives the batch, started inside it (so it keeps the batch as its context).
      later = paused.then(() => WriteBatch.current());
    });
    expect(await batch.commit()).toBe(true);
    resume();
    // Had it found the ended batch, its writes would sit in a transaction nobody commits.
    expect(await later).toBeUndefined();
    expect(await stored(['c1'])).toEqual(['c1']);
  });

  it("does not commit once the shard's commits stall while it is open, and leaves nothing", async () => {
    const batch = new WriteBatch();
    await batch.run(() => insert('g1'));
    // Meanwhile another write's commit timed out: the shard's gate closes until a probe commits.
    let confirmed = false;
    router.shards[0].commits.stall(async () => confirmed);
    try {
      expect(await batch.commit()).toBe(false);
      expect(batch.failureReason).toBeInstanceOf(DatabaseUnavailableError);
      expect(await stored(['g1'])).toEqual([]);
    } finally {
      confirmed = true;
      await waitUntil(() => !router.shards[0].commits.isStalled);
    }
  });

  it('makes the shard look for its primary when a write finds its connection gone', async () => {
    const lookedForPrimary = jest.spyOn(router.shards[0], 'primaryLost');
    try {
      const batch = new WriteBatch();
      await batch.run(async () => {
        const [{ pid }] = await router.writer().query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
        // What a failover does to every session of the old primary.
        await queryDatabase(shard0.primary, 'SELECT pg_terminate_backend($1)', [pid]);
        await expect(insert('t1')).rejects.toThrow();
      });
      expect(await batch.commit()).toBe(false);
      expect(lookedForPrimary).toHaveBeenCalled();
      expect(await stored(['t1'])).toEqual([]);
    } finally {
      lookedForPrimary.mockRestore();
    }
  });

  const statements: string[][] = [];
  const writeRows = async (manager: EntityManager, ids: string[]) => {
    statements.push([...ids]);
    await manager.query(`INSERT INTO ${table} (id) SELECT * FROM unnest($1::text[])`, [ids]);
  };

  it('writes deferred rows by one statement just before it commits, in the order they were left', async () => {
    statements.length = 0;
    const batch = new WriteBatch();
    await batch.run(async () => {
      await router.writer().transaction((manager) => WriteBatch.writeOrDefer(manager, table, 'd1', writeRows));
      await router.writer().transaction(async (manager) => {
        await WriteBatch.writeOrDefer(manager, table, 'd2', writeRows);
        // Not written yet, not even as seen from inside the batch's own transaction.
        expect(await manager.query(`SELECT id FROM ${table} WHERE id = ANY($1)`, [['d1', 'd2']])).toEqual([]);
      });
    });
    expect(statements).toEqual([]);
    expect(await batch.commit()).toBe(true);
    expect(statements).toEqual([['d1', 'd2']]);
    expect(await stored(['d1', 'd2'])).toEqual(['d1', 'd2']);
  });

  it('defers nothing outside a batch: the row is written at once', async () => {
    statements.length = 0;
    await router.writer().transaction(async (manager) => {
      await WriteBatch.writeOrDefer(manager, table, 'now', writeRows);
      expect(await manager.query(`SELECT id FROM ${table} WHERE id = 'now'`)).toEqual([{ id: 'now' }]);
    });
    expect(statements).toEqual([['now']]);
  });

  it('gives up, leaving nothing, when its deferred rows cannot be written', async () => {
    await insert('taken-later');
    const batch = new WriteBatch();
    await batch.run(async () => {
      await insert('e1');
      await router.writer().transaction((manager) => WriteBatch.writeOrDefer(manager, table, 'taken-later', writeRows));
    });
    expect(await batch.commit()).toBe(false);
    expect(String(batch.failureReason)).toMatch(/duplicate key/);
    expect(await stored(['e1'])).toEqual([]);
  });

  it('writes outside any batch on their own, as always', async () => {
    await insert('alone');
    expect(await stored(['alone'])).toEqual(['alone']);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!condition()) throw new Error('condition not met within 10 s');
}
