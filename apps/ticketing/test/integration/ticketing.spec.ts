import { jest } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { OrderConfirmedV1, OrderRefundedV1, TicketsIssuedV1, type Envelope, type PayloadOf, type TicketVerificationView, type CustomerTicketsView } from '@boxoffice/contracts';
import { messageFor } from '@boxoffice/messaging';
import { BucketMap } from '@boxoffice/persistence';
import { contextClient, eventually, KafkaProbe, queryDatabase, runningStack } from '@boxoffice/testing';

/**
 * Ticketing on the real stack: an OrderConfirmed event goes in through
 * Kafka, exactly as ordering would publish it; tickets, the tickets-issued
 * event, the customer's read model and code verification come out.
 */
// Messages cross the broker and retries wait on backoff: more than jest's default 5 s per test.
jest.setTimeout(60_000);

const stack = runningStack();
const kafka = new KafkaProbe(stack.kafka.brokers);
const bucketMap = new BucketMap(stack.bucketMap);
const ticketing = contextClient(stack, 'ticketing');
const shards = stack.databases.ticketing;
const GROUP = 'ticketing';

type OrderConfirmed = PayloadOf<typeof OrderConfirmedV1>;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

function confirmedOrder(seatIds: string[], overrides: Partial<OrderConfirmed> = {}): OrderConfirmed {
  return {
    orderId: uuidv7(),
    customerId: `customer-${uuidv7()}`,
    customerEmail: 'ada@example.com',
    showId: uuidv7(),
    seats: seatIds.map((seatId) => ({ seatId, price: eur(4500) })),
    total: eur(4500 * seatIds.length),
    callbackUrl: null,
    ...overrides,
  };
}

function envelopeOf(order: OrderConfirmed): Envelope {
  return messageFor(OrderConfirmedV1, order, { id: order.orderId, version: 4 }, { service: 'ordering', instance: 'ordering-test' }, { correlationId: order.orderId, causationId: null });
}

async function publish(envelope: Envelope): Promise<{ partition: number; offset: string }> {
  const [sent] = await kafka.produce(OrderConfirmedV1.topic, [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }]);
  return sent;
}

/** The group committed past this message: whatever it did is done. */
async function consumedPast(sent: { partition: number; offset: string }, topic = OrderConfirmedV1.topic): Promise<void> {
  await eventually(async () => expect(await kafka.committedOffset(GROUP, topic, sent.partition)).toBeGreaterThan(BigInt(sent.offset)));
}

interface TicketRow {
  ticket_id: string;
  order_id: string;
  seat_id: string;
  customer_id: string;
  code: string;
  status: string;
  price_minor: string;
}

function ticketsOnShard(shard: number, showId: string): Promise<TicketRow[]> {
  return queryDatabase<TicketRow>(shards[shard].primary, 'SELECT * FROM tickets WHERE show_id = $1 ORDER BY seat_id', [showId]);
}

async function issuedEvents(orderId: string): Promise<Envelope<PayloadOf<typeof TicketsIssuedV1>>[]> {
  return (await kafka.readAll(TicketsIssuedV1.topic)).filter((m) => m.key === orderId).map((m) => JSON.parse(m.value ?? '{}'));
}

async function verify(code: string) {
  return ticketing.get<TicketVerificationView>(`/tickets/verify?code=${encodeURIComponent(code)}`);
}

describe('ticketing: tickets for a confirmed order', () => {
  const order = confirmedOrder(['A-1-1', 'A-1-2', 'B-3-4']);
  const home = bucketMap.shardOf(order.showId);
  const incoming = envelopeOf(order);
  let firstDelivery: { partition: number; offset: string };

  beforeAll(async () => {
    firstDelivery = await publish(incoming);
  });

  it('issues exactly one valid ticket per sold seat on the show’s shard, and only there', async () => {
    const tickets = await eventually(async () => {
      const rows = await ticketsOnShard(home, order.showId);
      expect(rows).toHaveLength(3);
      return rows;
    });
    expect(tickets.map((t) => [t.seat_id, t.status, t.order_id, t.customer_id, Number(t.price_minor)])).toEqual([
      ['A-1-1', 'valid', order.orderId, order.customerId, 4500],
      ['A-1-2', 'valid', order.orderId, order.customerId, 4500],
      ['B-3-4', 'valid', order.orderId, order.customerId, 4500],
    ]);
    for (let shard = 0; shard < shards.length; shard++) {
      if (shard !== home) expect(await ticketsOnShard(shard, order.showId)).toEqual([]);
    }
  });

  it('announces them in ticketing.tickets-issued.v1, keyed by the order and caused by the confirmation', async () => {
    const [event, ...more] = await eventually(async () => {
      const found = await issuedEvents(order.orderId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(more).toEqual([]);
    expect(event).toMatchObject({ type: 'ticketing.tickets-issued', aggregateId: order.orderId, correlationId: order.orderId, causationId: incoming.messageId, producer: { service: 'ticketing' } });
    expect(TicketsIssuedV1.payload.parse(event.payload)).toMatchObject({ orderId: order.orderId, customerId: order.customerId, showId: order.showId });
    const stored = await ticketsOnShard(home, order.showId);
    expect(event.payload.tickets.map((t) => [t.ticketId, t.seatId, t.code]).sort()).toEqual(stored.map((t) => [t.ticket_id, t.seat_id, t.code]).sort());
  });

  it('lists them for the customer from the read model on the customer’s shard', async () => {
    const listed = await eventually(async () => {
      const response = await ticketing.get<CustomerTicketsView>(`/customers/${encodeURIComponent(order.customerId)}/tickets`);
      expect(response.status).toBe(200);
      expect(response.body.tickets).toHaveLength(3);
      return response.body;
    });
    expect(listed.customerId).toBe(order.customerId);
    expect(listed.tickets.map((t) => t.seatId).sort()).toEqual(['A-1-1', 'A-1-2', 'B-3-4']);
    const customerHome = bucketMap.shardOf(order.customerId);
    const rows = await queryDatabase(shards[customerHome].primary, 'SELECT * FROM customer_tickets WHERE customer_id = $1', [order.customerId]);
    expect(rows).toHaveLength(3);
  });

  it('verifies a real code as valid, naming the ticket, and refuses tampered or foreign codes', async () => {
    const [ticket] = await ticketsOnShard(home, order.showId);
    // Verification reads a replica: the ticket shows there once replayed.
    const valid = await eventually(async () => {
      const answer = await verify(ticket.code);
      expect(answer.body).toMatchObject({ verdict: 'valid' });
      return answer;
    });
    expect(valid.status).toBe(200);
    expect(valid.body).toEqual({
      verdict: 'valid',
      ticket: { ticketId: ticket.ticket_id, orderId: order.orderId, showId: order.showId, seatId: 'A-1-1', customerId: order.customerId, status: 'valid' },
    });

    // Same signature, another seat: the code names what it is for, so the change is caught.
    const [identity, signature] = ticket.code.split('.');
    const text = Buffer.from(identity, 'base64url').toString();
    const otherSeat = `${Buffer.from(text.replace(/A-1-1$/, 'A-1-9')).toString('base64url')}.${signature}`;
    expect((await verify(otherSeat)).body).toEqual({ verdict: 'invalid', reason: 'signature does not match' });
    const flipped = `${identity}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect((await verify(flipped)).body).toMatchObject({ verdict: 'invalid' });
    expect((await verify('not-a-ticket')).body).toMatchObject({ verdict: 'invalid' });
    expect((await ticketing.get('/tickets/verify')).status).toBe(400);
  });

  it('answers void for a code whose ticket is no longer valid on its shard', async () => {
    const [, second] = await ticketsOnShard(home, order.showId);
    // No event voids tickets yet (refunds come later): void it in the database, as that will.
    await queryDatabase(shards[home].primary, `UPDATE tickets SET status = 'void' WHERE show_id = $1 AND ticket_id = $2`, [order.showId, second.ticket_id]);
    await eventually(async () => expect((await verify(second.code)).body).toMatchObject({ verdict: 'void', ticket: { ticketId: second.ticket_id, seatId: 'A-1-2', status: 'void' } }));
    await queryDatabase(shards[home].primary, `UPDATE tickets SET status = 'valid' WHERE show_id = $1 AND ticket_id = $2`, [order.showId, second.ticket_id]);
    await eventually(async () => expect((await verify(second.code)).body).toMatchObject({ verdict: 'valid' }));
  });

  it('issues nothing new when the same message is delivered again', async () => {
    await consumedPast(firstDelivery);
    const before = await ticketsOnShard(home, order.showId);
    const again = await publish(incoming);
    await consumedPast(again);
    expect(await ticketsOnShard(home, order.showId)).toEqual(before);
    const inbox = await queryDatabase(shards[home].primary, `SELECT * FROM inbox WHERE consumer = 'ticketing' AND message_id = $1`, [incoming.messageId]);
    expect(inbox).toHaveLength(1);
    expect(await issuedEvents(order.orderId)).toHaveLength(1);
  });

  it('issues nothing new for a second event about the same order (another message id)', async () => {
    const before = await ticketsOnShard(home, order.showId);
    const second = await publish(envelopeOf(order));
    await consumedPast(second);
    expect(await ticketsOnShard(home, order.showId)).toEqual(before);
    expect(await issuedEvents(order.orderId)).toHaveLength(1);
  });

  it('never issues a second valid ticket for a seat, even when a buggy upstream sells it to another order', async () => {
    const intruder = confirmedOrder(['A-1-1', 'C-1-1'], { showId: order.showId });
    const sent = await publish(envelopeOf(intruder));
    const deadLetter = await eventually(async () => {
      const found = (await kafka.readAll('ticketing.dead-letter.v1')).filter((m) => m.headers['boxoffice-dlq-topic'] === 'ordering.order-confirmed.v1' && m.headers['boxoffice-dlq-offset'] === sent.offset && m.headers['boxoffice-dlq-partition'] === String(sent.partition));
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(deadLetter.headers['boxoffice-dlq-reason']).toMatch(/already has a valid ticket.*A-1-1/);
    const tickets = await ticketsOnShard(home, order.showId);
    expect(tickets.filter((t) => t.seat_id === 'A-1-1')).toHaveLength(1);
    expect(tickets.filter((t) => t.order_id === intruder.orderId)).toEqual([]);
  });

  it('dead-letters a poison message and keeps consuming', async () => {
    const [poison] = await kafka.produce(OrderConfirmedV1.topic, [{ key: 'poison', value: '{"this is": "not an envelope"}' }]);
    await consumedPast(poison);
    const deadLetters = await eventually(async () => {
      const found = (await kafka.readAll('ticketing.dead-letter.v1')).filter((m) => m.headers['boxoffice-dlq-topic'] === 'ordering.order-confirmed.v1' && m.headers['boxoffice-dlq-offset'] === poison.offset && m.headers['boxoffice-dlq-partition'] === String(poison.partition));
      expect(found).toHaveLength(1);
      return found;
    });
    expect(deadLetters[0].headers['boxoffice-dlq-reason']).toMatch(/invalid message/);

    const next = confirmedOrder(['D-1-1']);
    await publish(envelopeOf(next));
    await eventually(async () => expect(await ticketsOnShard(bucketMap.shardOf(next.showId), next.showId)).toHaveLength(1));
  });
});

describe('ticketing: a refunded order', () => {
  function refundOf(order: OrderConfirmed): Envelope {
    const { orderId, customerId, customerEmail, showId, seats, total, callbackUrl } = order;
    return messageFor(
      OrderRefundedV1,
      { orderId, customerId, customerEmail, showId, seatIds: seats.map((s) => s.seatId), amount: total, callbackUrl, reason: 'requested' },
      { id: orderId, version: 6 },
      { service: 'ordering', instance: 'ordering-test' },
      { correlationId: orderId, causationId: null },
    );
  }

  async function publishRefund(envelope: Envelope): Promise<{ partition: number; offset: string }> {
    const [sent] = await kafka.produce(OrderRefundedV1.topic, [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }]);
    return sent;
  }

  async function listed(customerId: string) {
    return (await ticketing.get<CustomerTicketsView>(`/customers/${encodeURIComponent(customerId)}/tickets`)).body.tickets;
  }

  /** The list is read from a replica, where "nothing" may only be lag: an absence is proven on the primary. */
  function recordedFor(customerId: string): Promise<unknown[]> {
    return queryDatabase(shards[bucketMap.shardOf(customerId)].primary, 'SELECT ticket_id FROM customer_tickets WHERE customer_id = $1', [customerId]);
  }

  it('voids its tickets (the door answers void) and drops them from the customer’s list; a redelivery changes nothing', async () => {
    const order = confirmedOrder(['R-1-1', 'R-1-2']);
    const home = bucketMap.shardOf(order.showId);
    await publish(envelopeOf(order));
    await eventually(async () => expect(await listed(order.customerId)).toHaveLength(2));

    const refund = refundOf(order);
    await publishRefund(refund);
    await eventually(async () => expect((await ticketsOnShard(home, order.showId)).map((t) => t.status)).toEqual(['void', 'void']));
    await eventually(async () => expect(await listed(order.customerId)).toEqual([]));
    for (const ticket of await ticketsOnShard(home, order.showId)) await eventually(async () => expect((await verify(ticket.code)).body.verdict).toBe('void'));

    const again = await publishRefund(refund);
    await consumedPast(again, OrderRefundedV1.topic);
    expect((await ticketsOnShard(home, order.showId)).map((t) => t.status)).toEqual(['void', 'void']);
    expect(await recordedFor(order.customerId)).toEqual([]);
  });

  it('issues nothing for a confirmation that arrives after its refund', async () => {
    const order = confirmedOrder(['S-1-1']);
    const refunded = await publishRefund(refundOf(order));
    await consumedPast(refunded, OrderRefundedV1.topic);
    const confirmed = await publish(envelopeOf(order));
    await consumedPast(confirmed);
    expect(await ticketsOnShard(bucketMap.shardOf(order.showId), order.showId)).toEqual([]);
    expect(await issuedEvents(order.orderId)).toEqual([]);
    expect(await recordedFor(order.customerId)).toEqual([]);
  });

  it('does not list tickets announced after the refund reached the customer’s list', async () => {
    const order = confirmedOrder(['T-1-1']);
    const refunded = await publishRefund(refundOf(order));
    await consumedPast(refunded, OrderRefundedV1.topic);
    const late = messageFor(
      TicketsIssuedV1,
      { orderId: order.orderId, customerId: order.customerId, showId: order.showId, tickets: [{ ticketId: uuidv7(), seatId: 'T-1-1', code: 'late.code' }] },
      { id: order.orderId, version: 1 },
      { service: 'ticketing', instance: 'ticketing-test' },
      { correlationId: order.orderId, causationId: null },
    );
    const [sent] = await kafka.produce(TicketsIssuedV1.topic, [{ key: order.orderId, value: JSON.stringify(late) }]);
    await consumedPast(sent, TicketsIssuedV1.topic);
    expect(await recordedFor(order.customerId)).toEqual([]);
  });
});
