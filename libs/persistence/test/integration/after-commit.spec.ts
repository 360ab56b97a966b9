import { queryDatabase, runningStack } from '@boxoffice/testing';
import { BucketMap } from '../../src/bucket-map.js';
import { afterCommit } from '../../src/rows-written-together.js';
import { ShardRouter } from '../../src/shard-router.js';
import { WriteBatch } from '../../src/write-batch.js';

/**
 * Effects outside the database (a metric) that wait for the commit of the
 * transaction that wrote what they report, against the stack's real
 * Postgres: a COMMIT that fails runs none of them, and a batch whose commit
 * is half done runs those of the shard that committed only. The commit is
 * made to fail by a deferred unique constraint, which Postgres checks at
 * COMMIT.
 */
const stack = runningStack();
const [shard0] = stack.databases.inventory;
const table = `after_commit_test_${Math.random().toString(16).slice(2, 10)}`;

describe('an effect after the commit', () => {
  let router: ShardRouter;

  beforeAll(async () => {
    // Two shards on one database: each its own pool and, in a batch, its own transaction and COMMIT.
    router = ShardRouter.create(
      { shards: [0, 1].map(() => ({ primary: shard0.primary, replicas: [] })), bucketMap: BucketMap.even(2), writeTimeoutMs: 3000 },
      { applicationName: 'after-commit-test', entities: [], migrations: [], poolSize: 2 },
    );
    await router.initialize();
    await router.writerForShard(0).query(`CREATE TABLE ${table} (id text, CONSTRAINT ${table}_once UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)`);
    await router.writerForShard(0).query(`INSERT INTO ${table} (id) VALUES ('taken')`);
  });

  afterAll(async () => {
    await router.writerForShard(0).query(`DROP TABLE ${table}`);
    await router.destroy();
  });

  const stored = async (ids: string[]) => (await queryDatabase<{ id: string }>(shard0.primary, `SELECT id FROM ${table} WHERE id = ANY($1) ORDER BY id`, [ids])).map((r) => r.id);
  /** Writes `id` on `shard` and asks for `effect` after the commit; `taken` is refused at COMMIT. */
  const write = (shard: number, id: string, effect: () => void) =>
    router.writerForShard(shard).transaction(async (manager) => {
      await manager.query(`INSERT INTO ${table} (id) VALUES ($1)`, [id]);
      afterCommit(manager, effect);
    });

  it('runs once its own transaction has committed, not before', async () => {
    const ran: string[] = [];
    await router.writerForShard(0).transaction(async (manager) => {
      await manager.query(`INSERT INTO ${table} (id) VALUES ('alone')`);
      afterCommit(manager, () => ran.push('alone'));
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['alone']);
  });

  it('never runs when the COMMIT fails, and once when the work is redone and commits', async () => {
    const ran: string[] = [];
    await expect(write(0, 'taken', () => ran.push('first attempt'))).rejects.toThrow(/duplicate key/);
    expect(ran).toEqual([]);
    await write(0, 'redone', () => ran.push('redone'));
    expect(ran).toEqual(['redone']);
  });

  it('in a batch, runs when the shard it was written on commits, and not for a shard whose COMMIT failed', async () => {
    const ran: string[] = [];
    const batch = new WriteBatch();
    await batch.run(async () => {
      await write(0, 'b0', () => ran.push('shard 0'));
      await write(1, 'taken', () => ran.push('shard 1'));
      expect(ran).toEqual([]);
    });
    // A half commit: shard 0's transaction committed, shard 1's did not.
    expect(await batch.commit()).toBe(false);
    expect(await stored(['b0'])).toEqual(['b0']);
    expect(ran).toEqual(['shard 0']);
  });

  it('in a batch given up before its commit, runs none', async () => {
    const ran: string[] = [];
    const batch = new WriteBatch();
    await batch.run(async () => {
      await write(0, 'g0', () => ran.push('shard 0'));
      batch.fail(new Error('a message that cannot be handled in a batch'));
    });
    expect(await batch.commit()).toBe(false);
    expect(await stored(['g0'])).toEqual([]);
    expect(ran).toEqual([]);
  });

  it('is refused for a manager that no transaction of a ShardWriter gave', async () => {
    const dataSource = router.shards[0].primaryDataSource();
    await dataSource.transaction(async (manager) => {
      expect(() => afterCommit(manager, () => undefined)).toThrow(/not that of an open transaction/);
    });
  });
});
