import { eventually, queryDatabase, runningStack } from '@boxoffice/testing';
import { BucketMap } from '../../src/bucket-map.js';
import { ShardListener } from '../../src/shard-listener.js';
import { ShardRouter } from '../../src/shard-router.js';

/**
 * LISTEN on a shard's primary, against the stack's real Postgres: committed
 * notifications arrive, rolled-back ones never do, and a listening
 * connection that is cut is opened again by itself and says so.
 */
const stack = runningStack();
const [shard0] = stack.databases.inventory;
const APPLICATION = 'shard-listener-test';

describe('listening to a shard', () => {
  const channel = `test_${Math.random().toString(16).slice(2, 10)}`;
  const heard: string[] = [];
  let listenings = 0;
  let router: ShardRouter;
  let listener: ShardListener;

  beforeAll(async () => {
    router = ShardRouter.create(
      { shards: [{ primary: shard0.primary, replicas: shard0.replicas }], bucketMap: BucketMap.even(1), writeTimeoutMs: 3000 },
      { applicationName: APPLICATION, entities: [], migrations: [], poolSize: 3, tolerateUnreachable: true },
    );
    await router.initialize();
    listener = new ShardListener(router.shards[0], channel, { notified: (payload) => heard.push(payload), listening: () => (listenings += 1) }, 100);
    listener.start();
    await eventually(() => expect(listenings).toBe(1));
  });

  afterAll(async () => {
    listener.stop();
    await router.destroy();
  });

  it('hears what committed, and nothing of what rolled back', async () => {
    await queryDatabase(shard0.primary, `SELECT pg_notify($1, 'committed')`, [channel]);
    await queryDatabase(shard0.primary, `BEGIN; SELECT pg_notify('${channel}', 'rolled-back'); ROLLBACK; SELECT pg_notify('${channel}', 'after')`);
    await eventually(() => expect(heard).toEqual(['committed', 'after']));
  });

  it('listens again by itself after its connection is cut, and says so', async () => {
    const [{ cut }] = await queryDatabase<{ cut: number }>(
      shard0.primary,
      `SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
      [APPLICATION],
    );
    expect(cut).toBe(1);
    await eventually(() => expect(listenings).toBe(2));
    expect(listener.isListening).toBe(true);
    await queryDatabase(shard0.primary, `SELECT pg_notify($1, 'later')`, [channel]);
    await eventually(() => expect(heard.at(-1)).toBe('later'));
  });

  it('refuses a channel name it would have to quote', () => {
    expect(() => new ShardListener(router.shards[0], 'order-settled; DROP TABLE x', { notified: () => undefined, listening: () => undefined })).toThrow(/channel/);
  });
});
