import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Sharding goes through a fixed number of logical buckets:
 * `bucket = hash(shardKey) mod buckets`, then a versioned table maps bucket
 * ranges to physical shards. Moving a bucket to another shard changes only the
 * table, never the hash, so keys never have to be re-hashed (see docs/adr).
 */
export const BucketMapSchema = z
  .object({
    version: z.number().int().positive(),
    buckets: z.number().int().positive(),
    /** `[firstBucket, lastBucket, shardIndex]`, inclusive ranges covering every bucket once. */
    shards: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative()])).min(1),
  })
  .superRefine((map, ctx) => {
    const sorted = [...map.shards].sort((a, b) => a[0] - b[0]);
    let next = 0;
    for (const [first, last] of sorted) {
      if (first !== next || last < first) {
        ctx.addIssue({ code: 'custom', message: `bucket ranges must cover 0..${map.buckets - 1} without gaps or overlaps (problem at bucket ${next})` });
        return;
      }
      next = last + 1;
    }
    if (next !== map.buckets) ctx.addIssue({ code: 'custom', message: `bucket ranges end at ${next - 1}, expected ${map.buckets - 1}` });
  });

export type BucketMapDefinition = z.infer<typeof BucketMapSchema>;

export const DEFAULT_BUCKETS = 1024;

export class BucketMap {
  private readonly shardByBucket: Int32Array;

  constructor(readonly definition: BucketMapDefinition) {
    BucketMapSchema.parse(definition);
    this.shardByBucket = new Int32Array(definition.buckets);
    for (const [first, last, shard] of definition.shards) this.shardByBucket.fill(shard, first, last + 1);
  }

  /** Splits the buckets evenly over `shardCount` shards, in order. */
  static even(shardCount: number, buckets = DEFAULT_BUCKETS): BucketMap {
    const size = Math.ceil(buckets / shardCount);
    const shards: [number, number, number][] = [];
    for (let shard = 0; shard < shardCount; shard++) {
      const first = shard * size;
      if (first >= buckets) break;
      shards.push([first, Math.min(buckets, first + size) - 1, shard]);
    }
    return new BucketMap({ version: 1, buckets, shards });
  }

  get version(): number {
    return this.definition.version;
  }

  /** Stable across processes, languages and restarts: the first 4 bytes of SHA-256. */
  bucketOf(shardKey: string): number {
    return createHash('sha256').update(shardKey).digest().readUInt32BE(0) % this.definition.buckets;
  }

  shardOf(shardKey: string): number {
    return this.shardByBucket[this.bucketOf(shardKey)];
  }

  shardCount(): number {
    return Math.max(...this.definition.shards.map(([, , shard]) => shard)) + 1;
  }
}
