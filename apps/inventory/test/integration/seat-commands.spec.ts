import { v7 as uuidv7 } from 'uuid';
import { OrderRefundedV1, SeatCommandV1, SeatReplyV1, ShowCancelledV1, type Envelope, type SeatCommand, type SeatReply } from '@boxoffice/contracts';
import { messageFor } from '@boxoffice/messaging';
import { BoxofficeApi, eventually, KafkaProbe, runningStack } from '@boxoffice/testing';

/** Inventory's side of the saga, driven through Kafka exactly as ordering drives it. */
const stack = runningStack();
const kafka = new KafkaProbe(stack.kafka.brokers);
const api = new BoxofficeApi(stack.gatewayUrl);
const ordering = { service: 'ordering', instance: 'inventory-integration-test' };

function command(payload: SeatCommand): Envelope {
  return messageFor(SeatCommandV1, payload, { id: payload.orderId, version: 1 }, ordering, { correlationId: payload.orderId, causationId: null });
}

async function send(...commands: Envelope[]): Promise<void> {
  await kafka.produce(SeatCommandV1.topic, commands.map((c) => ({ key: c.aggregateId, value: JSON.stringify(c) })));
}

/** The topic also carries the poison messages of test/e2e/poison-messages.spec.ts, which are not JSON. */
function parsed(value: string | null | undefined): Envelope<SeatReply>[] {
  try {
    return [JSON.parse(value ?? '{}') as Envelope<SeatReply>];
  } catch {
    return [];
  }
}

async function repliesFor(orderIds: string[], count: number): Promise<Envelope<SeatReply>[]> {
  return eventually(async () => {
    const replies = (await kafka.readAll(SeatReplyV1.topic))
      .flatMap((m) => parsed(m.value))
      .filter((e) => orderIds.includes(e.payload?.orderId));
    expect(replies.length).toBeGreaterThanOrEqual(count);
    return replies;
  });
}

let showId: string;
let seatIds: string[];

beforeAll(async () => {
  ({ showId, seatIds } = await api.publishShow('Seat commands', [{ code: 'A', rows: 1, seatsPerRow: 6, priceTier: 'STD' }], { STD: 2500 }));
  await api.waitUntilOnSale(showId);
});

describe('inventory seat commands', () => {
  it('answers a hold with the priced seats, caused by the command', async () => {
    const orderId = uuidv7();
    const hold = command({ command: 'hold', orderId, showId, seatIds: [seatIds[0], seatIds[1]], holdSeconds: 60 });
    await send(hold);
    const [reply] = await repliesFor([orderId], 1);
    expect(reply.payload).toEqual({
      outcome: 'held',
      orderId,
      showId,
      seats: [
        { seatId: seatIds[0], price: { amountMinor: 2500, currency: 'EUR' } },
        { seatId: seatIds[1], price: { amountMinor: 2500, currency: 'EUR' } },
      ],
      total: { amountMinor: 5000, currency: 'EUR' },
    });
    expect(reply.causationId).toBe(hold.messageId);
    expect(reply.correlationId).toBe(hold.correlationId);
    expect(reply.aggregateId).toBe(orderId);
  });

  it('lets exactly one of twenty racing orders hold a seat', async () => {
    const orderIds = Array.from({ length: 20 }, () => uuidv7());
    await send(...orderIds.map((orderId) => command({ command: 'hold', orderId, showId, seatIds: [seatIds[2]], holdSeconds: 60 })));
    const replies = await repliesFor(orderIds, 20);
    expect(replies.filter((r) => r.payload.outcome === 'held')).toHaveLength(1);
    expect(replies.filter((r) => r.payload.outcome === 'hold-rejected')).toHaveLength(19);
  });

  it('releases a hold on its own when it expires, and tells the order', async () => {
    const orderId = uuidv7();
    await send(command({ command: 'hold', orderId, showId, seatIds: [seatIds[3]], holdSeconds: 1 }));
    const replies = await repliesFor([orderId], 2);
    expect(replies.map((r) => r.payload)).toEqual([
      expect.objectContaining({ outcome: 'held' }),
      { outcome: 'released', orderId, showId, seatIds: [seatIds[3]], expired: true, showCancelled: false },
    ]);
    // The seat is for sale again.
    const next = uuidv7();
    await send(command({ command: 'hold', orderId: next, showId, seatIds: [seatIds[3]], holdSeconds: 60 }));
    expect((await repliesFor([next], 1))[0].payload.outcome).toBe('held');
  });

  it('refuses to sell seats whose hold expired', async () => {
    const orderId = uuidv7();
    await send(command({ command: 'hold', orderId, showId, seatIds: [seatIds[4]], holdSeconds: 1 }));
    await repliesFor([orderId], 2);
    await send(command({ command: 'confirm', orderId, showId }));
    const replies = await repliesFor([orderId], 3);
    expect(replies[2].payload).toEqual({ outcome: 'confirm-rejected', orderId, showId, reason: 'hold-expired' });
  });

  it('answers a repeated command again without changing anything', async () => {
    const orderId = uuidv7();
    await send(command({ command: 'hold', orderId, showId, seatIds: [seatIds[5]], holdSeconds: 60 }));
    await repliesFor([orderId], 1);
    await send(command({ command: 'confirm', orderId, showId }), command({ command: 'confirm', orderId, showId }));
    const replies = await repliesFor([orderId], 3);
    expect(replies.slice(1).map((r) => r.payload)).toEqual([
      { outcome: 'confirmed', orderId, showId, seatIds: [seatIds[5]] },
      { outcome: 'confirmed', orderId, showId, seatIds: [seatIds[5]] },
    ]);
    await send(command({ command: 'release', orderId, showId }));
    const afterRelease = await repliesFor([orderId], 4);
    // Sold seats are never released by the saga's release.
    expect(afterRelease[3].payload).toEqual({ outcome: 'released', orderId, showId, seatIds: [], expired: false, showCancelled: false });
  });
});

describe('inventory and a refunded order', () => {
  let refundShowId: string;
  let refundSeatIds: string[];

  beforeAll(async () => {
    ({ showId: refundShowId, seatIds: refundSeatIds } = await api.publishShow('Refunds', [{ code: 'A', rows: 1, seatsPerRow: 3, priceTier: 'STD' }], { STD: 2500 }));
    await api.waitUntilOnSale(refundShowId);
  });

  function refunded(orderId: string, seatIds: string[]): Envelope {
    return messageFor(
      OrderRefundedV1,
      { orderId, customerId: 'refund-customer', customerEmail: 'refund@example.test', showId: refundShowId, seatIds, amount: { amountMinor: 2500 * seatIds.length, currency: 'EUR' }, callbackUrl: null, reason: 'requested' },
      { id: orderId, version: 7 },
      ordering,
      { correlationId: orderId, causationId: null },
    );
  }

  async function publishRefund(envelope: Envelope): Promise<{ partition: number; offset: string }> {
    const [sent] = await kafka.produce(OrderRefundedV1.topic, [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }]);
    return sent;
  }

  async function available(): Promise<boolean[]> {
    const response = await api.http.get<{ seats: { seatId: string; available: boolean }[] }>(`/shows/${refundShowId}/seats`);
    return response.body.seats.map((s) => s.available);
  }

  it('puts the sold seats back on sale, and a repeated refund never takes them from their next buyer', async () => {
    const orderId = uuidv7();
    await send(command({ command: 'hold', orderId, showId: refundShowId, seatIds: [refundSeatIds[0], refundSeatIds[1]], holdSeconds: 60 }));
    await repliesFor([orderId], 1);
    await send(command({ command: 'confirm', orderId, showId: refundShowId }));
    expect((await repliesFor([orderId], 2))[1].payload.outcome).toBe('confirmed');
    expect(await available()).toEqual([false, false, true]);

    const refund = refunded(orderId, [refundSeatIds[0], refundSeatIds[1]]);
    await publishRefund(refund);
    await eventually(async () => expect(await available()).toEqual([true, true, true]));

    const next = uuidv7();
    await send(command({ command: 'hold', orderId: next, showId: refundShowId, seatIds: [refundSeatIds[0]], holdSeconds: 60 }));
    expect((await repliesFor([next], 1))[0].payload.outcome).toBe('held');
    // The same refund again, as a redelivery and as a new message: the seat stays with its new holder.
    for (const again of [refund, refunded(orderId, [refundSeatIds[0], refundSeatIds[1]])]) {
      const sent = await publishRefund(again);
      await eventually(async () => expect(await kafka.committedOffset('inventory', OrderRefundedV1.topic, sent.partition)).toBeGreaterThan(BigInt(sent.offset)));
    }
    expect(await available()).toEqual([false, true, true]);
  });
});

describe('inventory and a cancelled show', () => {
  const catalog = { service: 'catalog', instance: 'inventory-integration-test' };

  function cancelled(showId: string): Envelope {
    return messageFor(ShowCancelledV1, { showId, wasOnSale: true }, { id: showId, version: 3 }, catalog, { correlationId: showId, causationId: null });
  }

  async function handled(envelope: Envelope): Promise<void> {
    const [sent] = await kafka.produce(ShowCancelledV1.topic, [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }]);
    await eventually(async () => expect(await kafka.committedOffset('inventory', ShowCancelledV1.topic, sent.partition)).toBeGreaterThan(BigInt(sent.offset)));
  }

  it('names each buyer once, also when a second cancellation of the show arrives, and sells nothing more', async () => {
    const { showId: cancelShowId, seatIds: cancelSeatIds } = await api.publishShow('Cancelled twice', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }], { STD: 2500 });
    await api.waitUntilOnSale(cancelShowId);
    const buyer = uuidv7();
    const holder = uuidv7();
    await send(command({ command: 'hold', orderId: buyer, showId: cancelShowId, seatIds: [cancelSeatIds[0]], holdSeconds: 60 }));
    await send(command({ command: 'hold', orderId: holder, showId: cancelShowId, seatIds: [cancelSeatIds[1]], holdSeconds: 60 }));
    await repliesFor([buyer, holder], 2);
    await send(command({ command: 'confirm', orderId: buyer, showId: cancelShowId }));
    expect((await repliesFor([buyer], 2))[1].payload.outcome).toBe('confirmed');

    // Two cancellations of one show, as two messages: the second finds the show stopped already.
    await handled(cancelled(cancelShowId));
    await handled(cancelled(cancelShowId));
    await send(command({ command: 'confirm', orderId: holder, showId: cancelShowId }));
    const replies = await repliesFor([buyer, holder], 5);
    expect(replies.filter((r) => r.payload.outcome === 'sale-cancelled').map((r) => r.payload)).toEqual([
      { outcome: 'sale-cancelled', orderId: buyer, showId: cancelShowId, seatIds: [cancelSeatIds[0]] },
    ]);
    expect(replies.filter((r) => r.payload.orderId === holder).map((r) => r.payload.outcome)).toEqual(['held', 'confirm-rejected']);
  });
});
