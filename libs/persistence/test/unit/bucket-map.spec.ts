import { BucketMap } from '../../src/bucket-map.js';

describe('BucketMap', () => {
  it('splits buckets evenly and routes every key to a valid shard', () => {
    const map = BucketMap.even(2);
    expect(map.definition.shards).toEqual([
      [0, 511, 0],
      [512, 1023, 1],
    ]);
    const counts = [0, 0];
    for (let i = 0; i < 2000; i++) counts[map.shardOf(`show-${i}`)]++;
    // A fair hash spreads 2000 keys roughly evenly: each shard gets a real share.
    expect(Math.min(...counts)).toBeGreaterThan(800);
  });

  it('is stable: the same key always lands in the same bucket', () => {
    const map = BucketMap.even(2);
    // Pinned values: changing the hash would silently move every stored key to another shard.
    expect(map.bucketOf('01960000-0000-7000-8000-000000000002')).toBe(663);
    expect(map.shardOf('01960000-0000-7000-8000-000000000002')).toBe(1);
    expect(BucketMap.even(4).bucketOf('01960000-0000-7000-8000-000000000002')).toBe(663);
  });

  it('moves a bucket by changing only the map', () => {
    const before = BucketMap.even(2);
    const key = 'some-show';
    const bucket = before.bucketOf(key);
    const moved = new BucketMap({
      version: 2,
      buckets: 1024,
      shards: [
        ...(bucket > 0 ? [[0, bucket - 1, 0] as [number, number, number]] : []),
        [bucket, bucket, 2],
        ...(bucket < 1023 ? [[bucket + 1, 1023, 0] as [number, number, number]] : []),
      ],
    });
    expect(moved.bucketOf(key)).toBe(bucket);
    expect(moved.shardOf(key)).toBe(2);
  });

  it('rejects maps with gaps or overlaps', () => {
    expect(() => new BucketMap({ version: 1, buckets: 4, shards: [[0, 1, 0], [3, 3, 1]] })).toThrow(/gaps or overlaps/);
    expect(() => new BucketMap({ version: 1, buckets: 4, shards: [[0, 2, 0], [2, 3, 1]] })).toThrow(/gaps or overlaps/);
    expect(() => new BucketMap({ version: 1, buckets: 4, shards: [[0, 2, 0]] })).toThrow(/expected 3/);
  });
});
