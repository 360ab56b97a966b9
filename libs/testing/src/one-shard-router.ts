import { BucketMap, ShardRouter } from '@boxoffice/persistence';

/**
 * A ShardRouter over one database of the running stack, its primary only (no
 * standby to read from, every key in its one shard), for integration tests
 * of what runs on top of it. Not initialized yet: the test does that.
 */
export function oneShardRouter(primary: string, applicationName: string, { poolSize = 2, preparedStatements }: { poolSize?: number; preparedStatements?: boolean } = {}): ShardRouter {
  return ShardRouter.create(
    { shards: [{ primary, replicas: [] }], bucketMap: BucketMap.even(1), writeTimeoutMs: 3000, preparedStatements },
    { applicationName, entities: [], migrations: [], poolSize },
  );
}
