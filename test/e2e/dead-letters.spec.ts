import { BoxofficeApi, eventually, HttpClient, KafkaProbe, runningStack } from '@boxoffice/testing';

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
