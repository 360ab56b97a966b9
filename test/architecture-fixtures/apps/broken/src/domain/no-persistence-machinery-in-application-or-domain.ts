import type { ShardRouter } from '../../../../../../libs/persistence/src/shard-router.js';

export const shards = (router: ShardRouter): number => router.shardCount();
