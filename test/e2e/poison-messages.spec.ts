import { eventually, KafkaProbe, runningStack } from '@boxoffice/testing';

/**
 * A poison message on any consumed topic lands in the consuming context's
 * dead-letter topic, the offset is committed, and the consumer goes on.
 * (That it goes on with real work is shown per context: e.g. the walking
 * skeleton publishes a show right after a poison message.)
 */
const kafka = new KafkaProbe(runningStack().kafka.brokers);

const consumed: [topic: string, group: string][] = [
  ['catalog.show-published.v1', 'inventory'],
  ['catalog.show-cancelled.v1', 'inventory'],
  ['inventory.seat-command.v1', 'inventory'],
  ['inventory.seat-reply.v1', 'ordering'],
  ['payments.payment-reply.v1', 'ordering'],
  ['payments.payment-command.v1', 'payments'],
  ['ordering.order-confirmed.v1', 'ticketing'],
  ['ticketing.tickets-issued.v1', 'ticketing'],
  ['ordering.order-confirmed.v1', 'notifications'],
  ['ordering.order-rejected.v1', 'notifications'],
  ['ordering.order-refunded.v1', 'inventory'],
  ['ordering.order-refunded.v1', 'ticketing'],
  ['ordering.order-refunded.v1', 'notifications'],
];

describe.each(consumed)('a poison message on %s (consumed by %s)', (topic, group) => {
  it.each([
    ['not JSON at all', 'garbage \u0000 bytes'],
    ['an envelope with a payload of the wrong shape', JSON.stringify({ messageId: '01960000-0000-7000-8000-00000000dead', type: topic.replace(/\.v1$/, ''), schemaVersion: 1, aggregateId: 'x', aggregateVersion: 0, correlationId: 'c', causationId: null, producer: { service: 't', instance: 't' }, producedAt: 'now', payload: { nonsense: true } })],
  ])('is dead-lettered when it is %s, and the offset moves on', async (_, value) => {
    const [sent] = await kafka.produce(topic, [{ key: `poison-${Date.now()}`, value }]);
    await eventually(async () => expect(await kafka.committedOffset(group, topic, sent.partition)).toBeGreaterThan(BigInt(sent.offset)));
    const deadLetters = (await kafka.readAll(`${group}.dead-letter.v1`)).filter(
      (m) => m.headers['boxoffice-dlq-topic'] === topic && m.headers['boxoffice-dlq-partition'] === String(sent.partition) && m.headers['boxoffice-dlq-offset'] === sent.offset && m.headers['boxoffice-dlq-group'] === group,
    );
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0].value).toBe(value);
    expect(deadLetters[0].headers['boxoffice-dlq-reason']).toMatch(/^invalid message: /);
  });
});
