import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { BucketMap } from '@boxoffice/persistence';

/** Same derivation as ordering's PlaceOrderHandler: the order id is a UUIDv5 of customer and Idempotency-Key. */
const ORDER_ID_NAMESPACE = '6f1d3c2e-5b0a-4c47-9a53-0c2b7d1e8f40';

export function orderIdOf(customer: string, idempotencyKey: string): string {
  return uuidv5(`${customer}\n${idempotencyKey}`, ORDER_ID_NAMESPACE);
}

/** An Idempotency-Key whose order lands on ordering's shard `shard`: fault tests aim at one shard. */
export function keyOnShard(buckets: BucketMap, customer: string, shard: number): string {
  for (;;) {
    const key = randomUUID();
    if (buckets.shardOf(orderIdOf(customer, key)) === shard) return key;
  }
}
