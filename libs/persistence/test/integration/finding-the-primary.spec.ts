import { runningStack } from '@boxoffice/testing';
import { BucketMap } from '../../src/bucket-map.js';
import { DatabaseUnavailableError } from '../../src/database-unavailable.js';
import { ShardRouter } from '../../src/shard-router.js';

/**
 * How a service finds a shard's primary among the nodes it was given, against
 * the stack's real Postgres nodes (and without touching them): whatever the
 * order of the list, writes go to the node that is not in recovery; and two
 * nodes that both claim to be primary get no write at all.
 */
const stack = runningStack();
// Inventory is sharded: its database has a primary (and standbys) on every shard.
const [shard0, shard1] = stack.databases.inventory;

function routerOver(primary: string, replicas: string[]): ShardRouter {
  return ShardRouter.create(
    { shards: [{ primary, replicas }], bucketMap: BucketMap.even(1), writeTimeoutMs: 3000 },
    { applicationName: 'finding-the-primary-test', entities: [], migrations: [], poolSize: 2, tolerateUnreachable: true },
  );
}

describe('finding the primary', () => {
  it('writes to the node that is not in recovery, even when the list names a standby first', async () => {
    const [standby] = shard0.replicas;
    const router = routerOver(standby, [shard0.primary]);
    try {
      await router.initialize();
      const [row] = await router.writer().transaction((manager) => manager.query('SELECT pg_is_in_recovery() AS recovery, inet_server_port() AS port'));
      expect(row.recovery).toBe(false);
      expect(String(row.port)).toBe(new URL(shard0.primary).port);
      expect(router.shards[0].primary.label).toBe('shard0-node1');
    } finally {
      await router.destroy();
    }
  });

  it('refuses every write when two nodes both claim to be the primary (a split brain)', async () => {
    // Two different shards' primaries stand in for an old primary that came back unfenced.
    const router = routerOver(shard0.primary, [shard1.primary]);
    try {
      await router.initialize();
      await expect(router.writer().transaction((manager) => manager.query('SELECT 1'))).rejects.toBeInstanceOf(DatabaseUnavailableError);
    } finally {
      await router.destroy();
    }
  });
});
