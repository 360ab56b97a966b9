import { randomUUID } from 'node:crypto';
import type { CustomerOrdersView, OrderDetailsView } from '@boxoffice/contracts';
import { BucketMap } from '@boxoffice/persistence';
import { BoxofficeApi, keyOnShard, runningStack } from '@boxoffice/testing';

/**
 * "My orders" and an order's saga history through the gateway, on the real
 * stack: the orders of the signed-in customer (whose, the token says) from
 * every ordering shard, and the steps a declined payment took the order
 * through, readable whenever the order is read.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const buckets = new BucketMap(stack.bucketMap);

let showId: string;
beforeAll(async () => {
  ({ showId } = await api.publishShow(`My orders ${randomUUID().slice(0, 6)}`, [{ code: 'A', rows: 2, seatsPerRow: 6, priceTier: 'STD' }], { STD: 3000 }));
  await api.waitUntilOnSale(showId);
});

async function myOrders(username: string, query = ''): Promise<{ status: number; body: CustomerOrdersView }> {
  return api.http.get<CustomerOrdersView>(`/me/orders${query}`, await api.authHeaders(username));
}

describe('GET /me/orders', () => {
  it("lists the customer's orders from two shards, newest first, and no one else's", async () => {
    const hana = `hana-${randomUUID().slice(0, 8)}`;
    const ivo = `ivo-${randomUUID().slice(0, 8)}`;
    const first = await api.placeOrder(hana, { showId, seatIds: ['A-1-1'] }, keyOnShard(buckets, hana, 0), { waitSeconds: 20 });
    const second = await api.placeOrder(hana, { showId, seatIds: ['A-1-2'] }, keyOnShard(buckets, hana, 1), { waitSeconds: 20 });
    const others = await api.placeOrder(ivo, { showId, seatIds: ['A-1-3'] });
    expect([first.status, second.status, others.status]).toEqual([201, 201, 202]);
    expect(buckets.shardOf(first.body.orderId)).not.toBe(buckets.shardOf(second.body.orderId));

    const listed = await myOrders(hana);
    expect(listed.status).toBe(200);
    expect(listed.body.customerId).toBe(hana);
    expect(listed.body.orders.map((order) => [order.orderId, order.status, order.seatIds])).toEqual([
      [second.body.orderId, 'confirmed', ['A-1-2']],
      [first.body.orderId, 'confirmed', ['A-1-1']],
    ]);
    expect(listed.body.orders[0]!.total).toEqual({ amountMinor: 3000, currency: 'EUR' });
    expect(listed.body.next).toBeNull();

    const page = await myOrders(hana, '?limit=1');
    expect(page.body.orders.map((order) => order.orderId)).toEqual([second.body.orderId]);
    expect(page.body.next).toBe(second.body.orderId);
    const next = await myOrders(hana, `?limit=1&after=${page.body.next}`);
    expect(next.body).toMatchObject({ orders: [{ orderId: first.body.orderId }], next: null });

    // The customer is the token's: another customer's order is not a place to go on from.
    expect((await myOrders(hana, `?after=${others.body.orderId}`)).status).toBe(404);
    expect((await myOrders(ivo)).body.orders.map((order) => order.orderId)).toEqual([others.body.orderId]);
  });

  it('is a 401 without a token, and a 400 for a limit or a page it cannot read', async () => {
    const anonymous = await api.http.get('/me/orders');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect((await myOrders('jo', '?limit=1000')).status).toBe(400);
    expect((await myOrders('jo', '?after=yesterday')).status).toBe(400);
  });
});

describe("an order's saga history", () => {
  it('shows a declined payment: seats held, payment declined, seats released, rejected, with the reason and when', async () => {
    const kim = `decline-kim-${randomUUID().slice(0, 8)}`;
    const placed = await api.placeOrder(kim, { showId, seatIds: ['A-2-1'] }, randomUUID(), { waitSeconds: 20 });
    expect(placed.status).toBe(201);
    const order = (await api.http.get<OrderDetailsView>(`/orders/${placed.body.orderId}`, await api.authHeaders(kim))).body;
    expect(order).toMatchObject({ status: 'rejected', rejectionReason: 'payment-declined: test-customer-declined' });
    expect(order.history.map(({ status, reason }) => [status, reason])).toEqual([
      ['holding-seats', null],
      ['authorizing-payment', null],
      ['releasing-seats', 'payment-declined: test-customer-declined'],
      ['rejected', 'payment-declined: test-customer-declined'],
    ]);
    const times = order.history.map((step) => Date.parse(step.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[0]).toBe(Date.parse(order.placedAt));
    // The list says the same.
    const listed = await myOrders(kim);
    expect(listed.body.orders).toEqual([order]);
  });
});
