import { BucketMap } from '@boxoffice/persistence';
import { BoxofficeApi, eventually, HttpClient, KafkaProbe, queryDatabase, runningStack } from '@boxoffice/testing';

/**
 * The walking skeleton, end to end on the real stack: an admin publishes a
 * show through the gateway; catalog stores it and emits
 * catalog.show-published.v1 through its outbox; inventory consumes it through
 * its inbox and creates the seats on the shard the bucket map names; the
 * gateway shows the show with its availability.
 */
const stack = runningStack();
const gateway = new HttpClient(stack.gatewayUrl);
const api = new BoxofficeApi(stack.gatewayUrl);
const kafka = new KafkaProbe(stack.kafka.brokers);
const bucketMap = new BucketMap(stack.bucketMap);
const TOPIC = 'catalog.show-published.v1';

interface ShowWithAvailability {
  id: string;
  status: string;
  availability: { seats: { total: number; free: number }; sections: { section: string; total: number }[] } | null;
}

async function publishShow(title: string): Promise<{ showId: string; seatCount: number }> {
  const { showId, seatIds } = await api.publishShow(title, [
    { code: 'A', rows: 3, seatsPerRow: 4, priceTier: 'STD' },
    { code: 'B', rows: 2, seatsPerRow: 5, priceTier: 'VIP' },
  ]);
  // Catalog is AP: it reads from a replica, which may not have replayed the publication yet (docs/cap.md).
  await eventually(async () => expect((await gateway.get<{ status: string }>(`/shows/${showId}`)).body.status).toBe('published'));
  return { showId, seatCount: seatIds.length };
}

async function seatsOnShard(shard: number, showId: string): Promise<number> {
  const [row] = await queryDatabase<{ count: string }>(stack.databases.inventory[shard].primary, 'SELECT count(*) FROM seats WHERE show_id = $1', [showId]);
  return Number(row.count);
}

async function consumedPast(partition: number, offset: string): Promise<void> {
  await eventually(async () => {
    expect(await kafka.committedOffset('inventory', TOPIC, partition)).toBeGreaterThan(BigInt(offset));
  });
}

describe('walking skeleton: publish a show, see its seats', () => {
  let showId: string;
  let seatCount: number;

  beforeAll(async () => {
    ({ showId, seatCount } = await publishShow('Opening night'));
  });

  it('shows the published show with its seat availability through the gateway', async () => {
    const show = await eventually(async () => {
      const response = await gateway.get<ShowWithAvailability>(`/shows/${showId}`);
      expect(response.status).toBe(200);
      expect(response.body.availability).not.toBeNull();
      return response.body;
    });
    expect(show.status).toBe('published');
    expect(show.availability?.seats).toEqual({ total: seatCount, free: seatCount, held: 0, sold: 0, withdrawn: 0 });
    expect(show.availability?.sections.map((s) => [s.section, s.total])).toEqual([
      ['A', 12],
      ['B', 10],
    ]);
  });

  it('sent the event across the broker in the shared envelope, keyed by the show', async () => {
    const messages = (await kafka.readAll(TOPIC)).filter((m) => m.key === showId);
    expect(messages).toHaveLength(1);
    const envelope = JSON.parse(messages[0].value ?? '{}');
    expect(envelope).toMatchObject({ type: 'catalog.show-published', schemaVersion: 1, aggregateId: showId, aggregateVersion: 2, producer: { service: 'catalog' } });
    expect(envelope.payload.seats).toHaveLength(seatCount);
    expect(messages[0].headers['message-id']).toBe(envelope.messageId);
  });

  it('stored the seats on the shard its bucket maps to, and only there', async () => {
    const home = bucketMap.shardOf(showId);
    expect(await seatsOnShard(home, showId)).toBe(seatCount);
    for (let shard = 0; shard < stack.databases.inventory.length; shard++) {
      if (shard !== home) expect(await seatsOnShard(shard, showId)).toBe(0);
    }
  });

  it('creates nothing twice when the same message is delivered again', async () => {
    const [original] = (await kafka.readAll(TOPIC)).filter((m) => m.key === showId);
    const [redelivered] = await kafka.produce(TOPIC, [{ key: showId, value: original.value ?? '', headers: original.headers }]);
    await consumedPast(redelivered.partition, redelivered.offset);

    const home = bucketMap.shardOf(showId);
    expect(await seatsOnShard(home, showId)).toBe(seatCount);
    const messageId = JSON.parse(original.value ?? '{}').messageId;
    const inbox = await queryDatabase(stack.databases.inventory[home].primary, 'SELECT * FROM inbox WHERE message_id = $1', [messageId]);
    expect(inbox).toHaveLength(1);
  });

  it('ignores a second publication of a show already on sale (another message id)', async () => {
    const [original] = (await kafka.readAll(TOPIC)).filter((m) => m.key === showId);
    const copy = { ...JSON.parse(original.value ?? '{}'), messageId: '01960000-0000-7000-8000-00000000abcd' };
    const [again] = await kafka.produce(TOPIC, [{ key: showId, value: JSON.stringify(copy) }]);
    await consumedPast(again.partition, again.offset);
    expect(await seatsOnShard(bucketMap.shardOf(showId), showId)).toBe(seatCount);
  });

  it('dead-letters a poison message and keeps consuming', async () => {
    const [poison] = await kafka.produce(TOPIC, [{ key: 'poison', value: 'this is not an envelope' }]);
    await consumedPast(poison.partition, poison.offset);
    const deadLetters = await eventually(async () => {
      const found = (await kafka.readAll('inventory.dead-letter.v1')).filter((m) => m.headers['boxoffice-dlq-topic'] === TOPIC && m.headers['boxoffice-dlq-offset'] === poison.offset && m.headers['boxoffice-dlq-partition'] === String(poison.partition));
      expect(found).toHaveLength(1);
      return found;
    });
    expect(deadLetters[0].value).toBe('this is not an envelope');
    expect(deadLetters[0].headers['boxoffice-dlq-reason']).toMatch(/invalid message/);

    const next = await publishShow('After the poison');
    await eventually(async () => expect(await seatsOnShard(bucketMap.shardOf(next.showId), next.showId)).toBe(next.seatCount));
  });

  it('spreads shows over both shards', async () => {
    const shards = new Set<number>();
    const ids: string[] = [];
    while (shards.size < 2 && ids.length < 12) {
      const { showId: id } = await publishShow(`Spread ${ids.length}`);
      ids.push(id);
      shards.add(bucketMap.shardOf(id));
    }
    expect(shards.size).toBe(2);
    for (const id of ids) await eventually(async () => expect(await seatsOnShard(bucketMap.shardOf(id), id)).toBe(22));
  });
});
