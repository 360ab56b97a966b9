import { SeatCommandV1, SeatReplyV1, type Envelope, type SeatReply } from '@boxoffice/contracts';
import { messageFor } from '@boxoffice/messaging';
import { BoxofficeApi, eventually, everyAppReady, KafkaProbe, runningStack, SentNotifications, StackControl, WebhookReceiver, type OrderView } from '@boxoffice/testing';
import { checkInvariants } from '../../tools/invariants/check-invariants.js';
import { seatChanges, SeatEventStream } from './support/seat-event-stream.js';
import { ledgerKinds, orderStatuses } from './support/show-records.js';

/**
 * A seat release that reaches inventory after its show was cancelled: the
 * orders held their seats, the show was called off while their payments were
 * being authorized, and each one's compensation (void, then release) ran
 * after the cancellation. The release frees the hold in inventory's table,
 * but the show is cancelled: nobody may be told those seats are free, nobody
 * may buy them, and each order ends rejected once, however often the release
 * is answered.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const kafka = new KafkaProbe(stack.kafka.brokers);
const receiver = new WebhookReceiver(stack);
const sentNotifications = new SentNotifications(stack);
const control = StackControl.fromEnv();

afterEach(() => everyAppReady(stack));

function parsed(value: string | null): Envelope<SeatReply>[] {
  try {
    return [JSON.parse(value ?? '') as Envelope<SeatReply>];
  } catch {
    return [];
  }
}

/** The `released` answers inventory gave the order, where they are on the reply topic. */
async function releasesOf(orderId: string): Promise<{ partition: number; offset: string; payload: SeatReply }[]> {
  return (await kafka.readAll(SeatReplyV1.topic)).flatMap((m) =>
    parsed(m.value)
      .filter((e) => e.payload?.orderId === orderId && e.payload.outcome === 'released')
      .map((e) => ({ partition: m.partition, offset: m.offset, payload: e.payload })),
  );
}

describe('a seat release that arrives after its show was cancelled', () => {
  it('never reports the seats free or puts them back on sale, and rejects each order exactly once', async () => {
    const { showId, seatIds } = await api.publishShow('Released too late', [{ code: 'A', rows: 1, seatsPerRow: 3, priceTier: 'STD' }], { STD: 2000 });
    await api.waitUntilOnSale(showId);
    const stream = await SeatEventStream.open(stack.gatewayUrl, showId);
    expect(stream.response.status).toBe(200);
    try {
      // With payments down the orders hold their seats and wait for their authorization.
      await control.kill('app:payments-0');
      const customers = ['late-release-ann', 'late-release-bo'];
      const orders = await Promise.all(
        customers.map(async (customer, i) => {
          const placed = await api.placeOrder(customer, { showId, seatIds: [seatIds[i]], callbackUrl: receiver.callbackUrl() });
          expect(placed.status).toBe(202);
          return { customer, orderId: placed.body.orderId, seatId: seatIds[i] };
        }),
      );
      await eventually(async () => expect(await orderStatuses(stack, showId)).toEqual(['authorizing-payment', 'authorizing-payment']));

      const cancelled = await api.http.post<{ status: string }>(`/admin/shows/${showId}/cancel`, undefined, await api.authHeaders('admin'));
      expect(cancelled.status).toBe(200);
      const atCancellation = (await stream.until((events) => events.some((e) => e.event === 'show'))).findIndex((e) => e.event === 'show');

      // Back within the step deadline: each authorization arrives after the cancellation, its confirm is refused,
      // and the saga compensates: void, then release, late.
      await control.start('app:payments-0');
      await everyAppReady(stack);
      for (const { customer, orderId } of orders) expect(await api.settledOrder(customer, orderId)).toMatchObject({ status: 'rejected', rejectionReason: 'show-cancelled' });
      for (const { orderId } of orders) expect((await releasesOf(orderId)).map((r) => r.payload)).toEqual([expect.objectContaining({ outcome: 'released', expired: false })]);

      // The live stream tells each late release as seats withdrawn, never as free.
      const released = await stream.until((events) => orders.every(({ seatId }) => seatChanges(events, atCancellation).some((c) => c.seatIds.includes(seatId))));
      expect(seatChanges(released, atCancellation).sort((a, b) => a.seatIds[0].localeCompare(b.seatIds[0]))).toEqual(orders.map(({ seatId }) => ({ seatIds: [seatId], state: 'withdrawn' })));

      // The saga's release step is retried when its answer is slow: the same release again changes nothing.
      const ordering = { service: 'ordering', instance: 'late-release-test' };
      await kafka.produce(
        SeatCommandV1.topic,
        orders.map(({ orderId }) => {
          const release = messageFor(SeatCommandV1, { command: 'release', orderId, showId }, { id: orderId, version: 9 }, ordering, { correlationId: orderId, causationId: null });
          return { key: orderId, value: JSON.stringify(release) };
        }),
      );
      for (const { orderId } of orders) {
        const answers = await eventually(async () => {
          const found = await releasesOf(orderId);
          expect(found).toHaveLength(2);
          return found;
        });
        expect(answers[1].payload).toMatchObject({ seatIds: [] });
        // Ordering has read the second answer.
        await eventually(async () => expect(await kafka.committedOffset('ordering', SeatReplyV1.topic, answers[1].partition)).toBeGreaterThan(BigInt(answers[1].offset)));
      }

      // Not on sale again: no seat free or held, none offered, and an order for a released seat is refused.
      const show = await api.http.get<{ status: string; availability: { status: string; seats: Record<string, number> } | null }>(`/shows/${showId}`);
      expect(show.body.availability).toMatchObject({ status: 'cancelled', seats: { total: 3, free: 0, held: 0, sold: 0, withdrawn: 3 } });
      const seatMap = await api.http.get<{ seats: { available: boolean }[] }>(`/shows/${showId}/seats`);
      expect(seatMap.body.seats.filter((s) => s.available)).toEqual([]);
      const again = await api.placeOrder('late-release-cy', { showId, seatIds: [seatIds[0]] });
      expect(await api.settledOrder('late-release-cy', again.body.orderId)).toMatchObject({ status: 'rejected', rejectionReason: 'show-not-on-sale' });
      expect(seatChanges(stream.events, atCancellation).map((c) => c.state)).not.toContain('free');
      expect(seatChanges(stream.events, atCancellation).map((c) => c.state)).not.toContain('held');

      // Each order rejected once: one step into `rejected`, its authorization voided, one notice by mail and by webhook.
      for (const { customer, orderId } of orders) {
        const details = await api.http.get<OrderView & { history: { status: string }[] }>(`/orders/${orderId}`, await api.authHeaders(customer));
        expect(details.body.status).toBe('rejected');
        expect(details.body.history.filter((step) => step.status === 'rejected')).toHaveLength(1);
        expect(await ledgerKinds(stack, orderId)).toEqual(['authorization', 'void']);
        await sentNotifications.sent(orderId, 'order.rejected');
        expect((await receiver.receivedFor(orderId)).map((w) => w.event)).toEqual(['order.rejected']);
      }
      await eventually(async () => expect(await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [showId] })).toEqual([]));
    } finally {
      stream.close();
    }
  });
});
