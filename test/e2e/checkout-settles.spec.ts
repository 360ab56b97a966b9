import { BoxofficeApi, contextClient, eventually, queryDatabase, runningStack } from '@boxoffice/testing';
import { BucketMap } from '@boxoffice/persistence';
import { checkInvariants } from '../../tools/invariants/check-invariants.js';

/** The saga end to end: confirmed with money captured, or rejected with seats freed and no money held. */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const buckets = new BucketMap(stack.bucketMap);

async function smallShow(title: string, seats: number): Promise<{ showId: string; seatIds: string[] }> {
  const show = await api.publishShow(title, [{ code: 'A', rows: 1, seatsPerRow: seats, priceTier: 'STD' }], { STD: 4500 });
  await api.waitUntilOnSale(show.showId);
  return show;
}

async function seatStates(showId: string): Promise<Record<string, { status: string; order_id: string | null }>> {
  const url = stack.databases.inventory[buckets.shardOf(showId)].primary;
  const rows = await queryDatabase<{ seat_id: string; status: string; order_id: string | null }>(url, 'SELECT seat_id, status, order_id FROM seats WHERE show_id = $1', [showId]);
  return Object.fromEntries(rows.map((r) => [r.seat_id, { status: r.status, order_id: r.order_id }]));
}

const payments = contextClient(stack, 'payments');

/** The payment intent as payments reports it on its internal API (undefined when there is none). */
async function payment(orderId: string): Promise<{ status: string } | undefined> {
  const response = await payments.get<{ status: string }>(`/payments/${orderId}`);
  if (response.status === 404) return undefined;
  expect(response.status).toBe(200);
  return response.body;
}

describe('checkout settles', () => {
  it('confirms an order: seats sold to it, payment captured', async () => {
    const { showId, seatIds } = await smallShow('Happy', 6);
    const placed = await api.placeOrder('alice', { showId, seatIds: seatIds.slice(0, 2) });
    const order = await api.settledOrder('alice', placed.body.orderId);
    expect(order).toMatchObject({ status: 'confirmed', rejectionReason: null, total: { amountMinor: 9000, currency: 'EUR' } });
    const seats = await seatStates(showId);
    expect(seats[seatIds[0]]).toEqual({ status: 'sold', order_id: order.orderId });
    expect(seats[seatIds[1]]).toEqual({ status: 'sold', order_id: order.orderId });
    expect(seats[seatIds[2]]).toEqual({ status: 'free', order_id: null });
    expect(await payment(order.orderId)).toMatchObject({ status: 'captured' });

    const seatMap = await api.http.get<{ seats: { seatId: string; available: boolean }[] }>(`/shows/${showId}/seats`);
    expect(seatMap.status).toBe(200);
    expect(seatMap.body.seats.map((s) => [s.seatId, s.available])).toEqual(seatIds.map((id, i) => [id, i >= 2]));
  });

  it('rejects an order whose payment is declined: seats free again, no money held', async () => {
    const { showId, seatIds } = await smallShow('Declined', 4);
    const placed = await api.placeOrder('decline-bob', { showId, seatIds: seatIds.slice(0, 2) });
    const order = await api.settledOrder('decline-bob', placed.body.orderId);
    expect(order.status).toBe('rejected');
    expect(order.rejectionReason).toMatch(/^payment-declined/);
    const seats = await seatStates(showId);
    expect(seats[seatIds[0]]).toEqual({ status: 'free', order_id: null });
    expect(seats[seatIds[1]]).toEqual({ status: 'free', order_id: null });
    expect(await payment(order.orderId)).toMatchObject({ status: 'declined' });
  });

  it('rejects an order for seats someone else holds or bought, before any payment', async () => {
    const { showId, seatIds } = await smallShow('Taken', 3);
    const first = await api.placeOrder('alice', { showId, seatIds: [seatIds[0]] });
    expect((await api.settledOrder('alice', first.body.orderId)).status).toBe('confirmed');
    const second = await api.placeOrder('bob', { showId, seatIds: [seatIds[0], seatIds[1]] });
    const order = await api.settledOrder('bob', second.body.orderId);
    expect(order).toMatchObject({ status: 'rejected', rejectionReason: 'seats-unavailable' });
    expect(await payment(order.orderId)).toBeUndefined();
    expect((await seatStates(showId))[seatIds[1]]).toEqual({ status: 'free', order_id: null });
  });

  it('sells each of the last 10 seats exactly once when 50 buyers race for them', async () => {
    const { showId, seatIds } = await smallShow('Flash sale', 10);
    // Every buyer wants 1-2 seats, heavily overlapping, all at once. Fifty synchronous commits at once may take
    // a shard past its write bound on a busy machine: a 503 is retried with its key, as a client does.
    const wanted = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? [seatIds[i % 10], seatIds[(i + 1) % 10]] : [seatIds[i % 10]]));
    const placed = await Promise.all(wanted.map((seats, i) => api.placeOrderAsAClient(`racer-${i}`, { showId, seatIds: seats })));
    expect(placed.map((p) => p.status)).toEqual(Array(50).fill(202));
    const orders = await Promise.all(placed.map((p, i) => api.settledOrder(`racer-${i}`, p.body.orderId, 120000)));

    const confirmed = orders.filter((o) => o.status === 'confirmed');
    const soldSeats = confirmed.flatMap((o) => o.seatIds);
    expect(new Set(soldSeats).size).toBe(soldSeats.length);
    expect(orders.filter((o) => o.status === 'rejected').every((o) => o.rejectionReason === 'seats-unavailable')).toBe(true);

    const seats = await seatStates(showId);
    const soldInInventory = Object.entries(seats).filter(([, s]) => s.status === 'sold');
    expect(soldInInventory.map(([id]) => id).sort()).toEqual([...soldSeats].sort());
    for (const [seatId, state] of soldInInventory) {
      expect(confirmed.find((o) => o.orderId === state.order_id)?.seatIds).toContain(seatId);
    }
    expect(Object.values(seats).filter((s) => s.status === 'held')).toEqual([]);
    for (const order of confirmed) expect(await payment(order.orderId)).toMatchObject({ status: 'captured' });
    for (const order of orders.filter((o) => o.status === 'rejected')) expect(await payment(order.orderId)).toBeUndefined();
    // Everything sold: with this much demand no seat stays free.
    expect(soldInInventory.length).toBe(10);
    await eventually(async () => expect(await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [showId] })).toEqual([]));
  });
});
