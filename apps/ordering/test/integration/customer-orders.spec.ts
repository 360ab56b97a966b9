import { randomUUID } from 'node:crypto';
import type { CustomerOrdersView, OrderDetailsView, OrderView } from '@boxoffice/contracts';
import { BucketMap } from '@boxoffice/persistence';
import type { Principal } from '@boxoffice/platform';
import { contextClient, eventually, keyOnShard, orderIdOf, queryDatabase, runningStack } from '@boxoffice/testing';

/**
 * Ordering's reads on the real stack: a customer's orders gathered from every
 * shard of its real Postgres, page by page, and the saga history the order's
 * row keeps as the saga moves.
 */
const stack = runningStack();
const buckets = new BucketMap(stack.bucketMap);
const shards = stack.databases.ordering;

const customer = (name: string): Principal => ({ id: `${name}-${randomUUID().slice(0, 8)}`, email: `${name}@example.test`, role: 'customer' });

/** Places an order for seats of a show inventory does not sell: its saga ends at once, rejected (`show-not-on-sale`). */
async function placeOn(shard: number, who: Principal): Promise<string> {
  const key = keyOnShard(buckets, who.id, shard);
  const placed = await contextClient(stack, 'ordering', { as: who }).post<OrderView>('/orders', { showId: randomUUID(), seatIds: ['A-1-1'], idempotencyKey: key });
  expect(placed.status).toBe(202);
  expect(placed.body.orderId).toBe(orderIdOf(who.id, key));
  return placed.body.orderId;
}

/** Writes a settled order straight into its shard's table, placed at `placedAt`: for ties the clock rarely makes. */
async function storedOrder(who: Principal, shard: number, placedAt: string): Promise<string> {
  let orderId = randomUUID();
  while (buckets.shardOf(orderId) !== shard) orderId = randomUUID();
  await queryDatabase(
    shards[shard]!.primary,
    `INSERT INTO orders (order_id, version, fingerprint, customer_id, customer_email, show_id, seat_ids, status, rejection_reason, placed_at)
     VALUES ($1, 1, 'test', $2, $3, $4, ARRAY['A-1-1'], 'rejected', 'show-not-on-sale', $5)`,
    [orderId, who.id, who.email, randomUUID(), placedAt],
  );
  return orderId;
}

async function ordersOf(who: Principal, query = '', as: Principal = who) {
  return contextClient(stack, 'ordering', { as }).get<CustomerOrdersView>(`/customers/${encodeURIComponent(who.id)}/orders${query}`);
}

/** Every page, following `next`, `limit` orders at a time. */
async function allPages(who: Principal, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let after: string | null = null;
  do {
    const page = await ordersOf(who, `?limit=${limit}${after ? `&after=${after}` : ''}`);
    expect(page.status).toBe(200);
    pages.push(page.body.orders.map((order) => order.orderId));
    after = page.body.next;
  } while (after !== null && pages.length < 20);
  return pages;
}

describe("ordering: a customer's orders", () => {
  expect(shards.length).toBeGreaterThanOrEqual(2);

  it('gathers them from every shard, newest first, and only theirs', async () => {
    const ada = customer('ada');
    const first = await placeOn(0, ada);
    const second = await placeOn(1, ada);
    const third = await placeOn(0, ada);
    await placeOn(1, customer('bob'));

    const listed = await ordersOf(ada);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ customerId: ada.id, next: null });
    expect(listed.body.orders.map((order) => order.orderId)).toEqual([third, second, first]);
    expect(listed.body.orders.every((order) => order.customerId === ada.id)).toBe(true);
    // They really are on two shards.
    expect(new Set([first, second, third].map((id) => buckets.shardOf(id)))).toEqual(new Set([0, 1]));
    const placedAt = listed.body.orders.map((order) => Date.parse(order.placedAt));
    expect([...placedAt].sort((a, b) => b - a)).toEqual(placedAt);
  });

  it('pages through them after the last order shown, ties on the placing time included, none twice and none missed', async () => {
    const cleo = customer('cleo');
    const sameInstant = '2026-01-02T03:04:05.123456Z';
    const tied = [await storedOrder(cleo, 0, sameInstant), await storedOrder(cleo, 1, sameInstant), await storedOrder(cleo, 0, sameInstant), await storedOrder(cleo, 1, sameInstant)];
    // A microsecond apart: the page must go on from the exact instant, not from the millisecond.
    const older = await storedOrder(cleo, 1, '2026-01-02T03:04:05.123455Z');
    const newer = await storedOrder(cleo, 0, '2026-01-02T03:04:05.123457Z');
    const expected = [newer, ...[...tied].sort().reverse(), older];

    const pages = await allPages(cleo, 2);
    expect(pages).toEqual([expected.slice(0, 2), expected.slice(2, 4), expected.slice(4, 6)]);
    expect((await allPages(cleo, 5)).flat()).toEqual(expected);
    expect(await allPages(cleo, 6)).toEqual([expected]);
  });

  it('shows a customer only their own, answers an admin for anyone, and refuses a page after another customer’s order', async () => {
    const dan = customer('dan');
    const eve = customer('eve');
    const dansOrder = await placeOn(1, dan);
    const evesOrder = await placeOn(0, eve);

    const asEve = await ordersOf(dan, '', eve);
    expect([asEve.status, asEve.body]).toMatchObject([403, { code: 'forbidden' }]);
    const asAdmin = await contextClient(stack, 'ordering').get<CustomerOrdersView>(`/customers/${encodeURIComponent(dan.id)}/orders`);
    expect(asAdmin.body.orders.map((order) => order.orderId)).toEqual([dansOrder]);

    expect((await ordersOf(dan, `?after=${evesOrder}`)).status).toBe(404);
    expect((await ordersOf(dan, `?after=${randomUUID()}`)).status).toBe(404);
    expect((await ordersOf(dan, '?limit=0')).status).toBe(400);
    expect((await ordersOf(dan, '?limit=101')).status).toBe(400);
    expect((await ordersOf(dan, '?after=not-an-id')).status).toBe(400);
    expect((await ordersOf(customer('nobody'))).body).toMatchObject({ orders: [], next: null });
  });
});

describe('ordering: the saga history on the order', () => {
  it('keeps each step the order passed, with the reason and the database clock, and answers it with the order', async () => {
    const fay = customer('fay');
    const orderId = await placeOn(1, fay);
    const order = await eventually(async () => {
      const read = await contextClient(stack, 'ordering', { as: fay }).get<OrderDetailsView>(`/orders/${orderId}`);
      expect(read.body.status).toBe('rejected');
      return read.body;
    });
    expect(order.history.map(({ status, reason }) => ({ status, reason }))).toEqual([
      { status: 'holding-seats', reason: null },
      { status: 'rejected', reason: 'show-not-on-sale' },
    ]);
    const [placed, rejected] = order.history.map((step) => Date.parse(step.at));
    expect(placed).toBe(Date.parse(order.placedAt));
    expect(rejected).toBeGreaterThanOrEqual(placed!);

    // Stored on the order's own row, by its shard's clock.
    const [row] = await queryDatabase<{ history: { status: string; at: string }[]; placed_at: Date }>(shards[1]!.primary, 'SELECT history, placed_at FROM orders WHERE order_id = $1', [orderId]);
    expect(row!.history.map((step) => step.status)).toEqual(['holding-seats', 'rejected']);
    expect(new Date(row!.history[0]!.at).getTime()).toBe(row!.placed_at.getTime());
  });

  it('is empty for an order stored before the history was kept, and the order still reads', async () => {
    const gus = customer('gus');
    const orderId = await storedOrder(gus, 0, '2026-01-01T00:00:00Z');
    const read = await contextClient(stack, 'ordering', { as: gus }).get<OrderDetailsView>(`/orders/${orderId}`);
    expect(read.body).toMatchObject({ orderId, status: 'rejected', history: [], placedAt: '2026-01-01T00:00:00.000Z' });
  });
});
