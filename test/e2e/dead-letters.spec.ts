import { DEAD_LETTER_MAX_MESSAGE_BYTES } from '@boxoffice/contracts';
import { BoxofficeApi, eventually, everyAppReady, HttpClient, KafkaProbe, parsePrometheusText, runningStack, samplesOf, type PrometheusSample } from '@boxoffice/testing';

/**
 * One message produced by a plain Kafka client, not by our code, must never
 * stop a context: 400 KB of bytes that are not JSON, on the saga's busiest
 * command topic, land in inventory's dead-letter topic byte for byte, the
 * group commits past them without leaving, and checkout goes on.
 */
const stack = runningStack();
const kafka = new KafkaProbe(stack.kafka.brokers);
const api = new BoxofficeApi(stack.gatewayUrl);
const topic = 'inventory.seat-command.v1';

// What is proven is that inventory stays in its group: it must have all its members to begin with, not be
// rejoining after an earlier test restarted a replica (a replica is ready while it joins).
beforeAll(() => everyAppReady(stack));

describe('a large message that is not JSON, from a plain client', () => {
  it('is dead-lettered byte for byte with its key and headers, and inventory goes on selling', async () => {
    // Binary, as a schema-registry framed record is: a zero first byte, and not even UTF-8.
    const value = Buffer.alloc(400 * 1024, 'not json ');
    value[0] = 0x00;
    value[7] = 0xff;
    const key = `plain-client-${Date.now()}`;
    const [sent] = await kafka.produce(topic, [{ key, value, headers: { 'x-sent-by': 'a plain client' } }]);

    await eventually(async () => expect(await kafka.committedOffset('inventory', topic, sent.partition)).toBeGreaterThan(BigInt(sent.offset)), { timeoutMs: 30000 });
    const deadLetters = (await kafka.readAll('inventory.dead-letter.v1')).filter(
      (m) => m.headers['boxoffice-dlq-topic'] === topic && m.headers['boxoffice-dlq-partition'] === String(sent.partition) && m.headers['boxoffice-dlq-offset'] === sent.offset,
    );
    expect(deadLetters).toHaveLength(1);
    const [letter] = deadLetters;
    expect(letter.valueBytes?.equals(value)).toBe(true);
    expect(letter.key).toBe(key);
    expect(letter.headers['x-sent-by']).toBe('a plain client');
    expect(letter.headers['boxoffice-dlq-group']).toBe('inventory');
    expect(letter.headers['boxoffice-dlq-reason']).toMatch(/not JSON/);

    // Still a member of its group, still ready, and still doing its job.
    expect(await kafka.groupMembers('inventory')).toBe(stack.apps.inventory.length);
    for (const app of stack.apps.inventory) expect((await new HttpClient(app.url).get('/health/ready')).status).toBe(200);
    const { showId, seatIds } = await api.publishShow('After the poison', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('after-poison', { showId, seatIds: [seatIds[0]] });
    expect((await api.settledOrder('after-poison', placed.body.orderId)).status).toBe('confirmed');
  });
});

describe('a dead-letter topic that refuses', () => {
  // Consumed by inventory only, so only inventory's dead-letter topic is involved.
  const cancelled = 'catalog.show-cancelled.v1';
  const restore = () => kafka.setTopicConfig('inventory.dead-letter.v1', { 'max.message.bytes': String(DEAD_LETTER_MAX_MESSAGE_BYTES) });
  afterAll(restore);

  it('holds the partition, in the group, until it accepts: not ready and stalled in /metrics meanwhile, then dead-lettered once', async () => {
    await kafka.setTopicConfig('inventory.dead-letter.v1', { 'max.message.bytes': '1024' });
    const value = Buffer.alloc(4096, 'not json ');
    const [sent] = await kafka.produce(cancelled, [{ key: `refused-${Date.now()}`, value }]);
    const members = stack.apps.inventory.length;

    // Past the stall limit (30 s by default) the instance that holds the partition is not ready, and its metrics say why.
    const stalled = (metrics: PrometheusSample[]) => samplesOf(metrics, 'boxoffice_kafka_partition_stalled_seconds', { topic: cancelled, partition: String(sent.partition) })[0]?.value ?? 0;
    const metrics = await eventually(
      async () => {
        for (const app of stack.apps.inventory) {
          const ready = await new HttpClient(app.url).get('/health/ready');
          const metrics = parsePrometheusText(await (await fetch(`${app.url}/metrics`)).text());
          if (ready.status === 503 && stalled(metrics) > 30) return metrics;
        }
        throw new Error('no inventory instance is unready with the partition stalled yet');
      },
      { timeoutMs: 90000, intervalMs: 1000 },
    );
    expect(samplesOf(metrics, 'boxoffice_kafka_consumer_consuming', { group: 'inventory' })[0]?.value).toBe(0);
    expect(samplesOf(metrics, 'boxoffice_dead_letter_failures_total', { topic: cancelled })[0]?.value).toBeGreaterThan(0);
    // Neither skipped nor out of the group.
    expect(await kafka.committedOffset('inventory', cancelled, sent.partition)).toBeLessThanOrEqual(BigInt(sent.offset));
    expect(await kafka.groupMembers('inventory')).toBe(members);

    await restore();
    await eventually(async () => expect(await kafka.committedOffset('inventory', cancelled, sent.partition)).toBeGreaterThan(BigInt(sent.offset)), { timeoutMs: 30000 });
    const letters = (await kafka.readAll('inventory.dead-letter.v1')).filter(
      (m) => m.headers['boxoffice-dlq-topic'] === cancelled && m.headers['boxoffice-dlq-partition'] === String(sent.partition) && m.headers['boxoffice-dlq-offset'] === sent.offset,
    );
    expect(letters).toHaveLength(1);
    expect(letters[0].valueBytes?.equals(value)).toBe(true);
    await eventually(async () => {
      for (const app of stack.apps.inventory) expect((await new HttpClient(app.url).get('/health/ready')).status).toBe(200);
    });
    expect(await kafka.groupMembers('inventory')).toBe(members);
  });
});
