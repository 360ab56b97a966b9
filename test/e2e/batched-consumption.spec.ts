import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SeatCommandV1 } from '@boxoffice/contracts';
import { BucketMap } from '@boxoffice/persistence';
import { BoxofficeApi, eventually, everyAppReady, queryDatabase, runningStack, StackControl } from '@boxoffice/testing';
import { checkInvariants } from '../../tools/invariants/check-invariants.js';

/**
 * Consumers write the messages one fetch brings from a partition in one
 * transaction (BatchingServerKafka, WriteBatch). With inventory down, seat
 * commands pile up on their partitions; when it comes back, its first
 * fetches bring several at once. Those batches must decide exactly as one
 * message at a time would (a seat wanted twice goes to one order), and the
 * inbox rows show that messages were written together: rows inserted by one
 * transaction share its id (xmin).
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const control = StackControl.fromEnv();
const buckets = new BucketMap(stack.bucketMap);
const inventoryReplicas = stack.apps.inventory.map((app) => `app:${app.instance}`);

describe('consuming in batches', () => {
  afterEach(() => everyAppReady(stack));

  it('holds and sells seats from a backlog as one message at a time would, in fewer transactions', async () => {
    const show = await api.publishShow('Backlog', [{ code: 'A', rows: 1, seatsPerRow: 20, priceTier: 'STD' }]);
    await api.waitUntilOnSale(show.showId);
    const buyers = show.seatIds.slice(0, 16).map((seatId, i) => ({ customer: `batch-${i}-${randomUUID().slice(0, 6)}`, seatIds: [seatId] }));
    // Two more buyers race for seats already wanted above: each seat goes to exactly one order.
    buyers.push({ customer: `batch-race-a-${randomUUID().slice(0, 6)}`, seatIds: [show.seatIds[0]] });
    buyers.push({ customer: `batch-race-b-${randomUUID().slice(0, 6)}`, seatIds: [show.seatIds[1]] });

    const orderIds: string[] = [];
    // Settlements are announced with NOTIFY (a batch sends one for all the orders it settled): every order must be heard.
    const heard = new Set<string>();
    const listeners = await Promise.all(
      stack.databases.ordering.map(async ({ primary }) => {
        const client = new pg.Client({ connectionString: primary });
        await client.connect();
        client.on('notification', (message) => heard.add(message.payload ?? ''));
        await client.query('LISTEN order_settled');
        return client;
      }),
    );
    try {
      for (const id of inventoryReplicas) await control.stop(id);
      for (const buyer of buyers) {
        const placed = await api.placeOrder(buyer.customer, { showId: show.showId, seatIds: buyer.seatIds });
        expect(placed.status).toBe(202);
        orderIds.push(placed.body.orderId);
      }
    } finally {
      for (const id of inventoryReplicas) await control.start(id);
    }

    const outcomes = await Promise.all(buyers.map((buyer, i) => api.settledOrder(buyer.customer, orderIds[i])));
    try {
      // Other tests' orders may settle meanwhile on the same stack: only ours must all be heard.
      await eventually(async () => expect(orderIds.filter((id) => !heard.has(id))).toEqual([]));
    } finally {
      await Promise.all(listeners.map((client) => client.end()));
    }
    const winners = new Map<string, number>();
    for (const [i, order] of outcomes.entries()) {
      expect(['confirmed', 'rejected']).toContain(order.status);
      if (order.status === 'confirmed') for (const seatId of buyers[i].seatIds) winners.set(seatId, (winners.get(seatId) ?? 0) + 1);
    }
    // Every seat that was wanted was sold once, never twice: 16 confirmed, the 2 racers lost.
    expect([...winners.values()].every((count) => count === 1)).toBe(true);
    expect(outcomes.filter((o) => o.status === 'confirmed')).toHaveLength(16);

    // Which transactions wrote inventory's inbox rows for the hold commands.
    const holdIds: string[] = [];
    for (const { primary } of stack.databases.ordering) {
      const rows = await queryDatabase<{ message_id: string }>(
        primary,
        `SELECT message_id FROM outbox WHERE topic = $1 AND message_key = ANY($2) AND envelope->'payload'->>'command' = 'hold'`,
        [SeatCommandV1.topic, orderIds],
      );
      holdIds.push(...rows.map((r) => r.message_id));
    }
    expect(holdIds).toHaveLength(buyers.length);
    const inventory = stack.databases.inventory[buckets.shardOf(show.showId)].primary;
    const transactions = await queryDatabase<{ xmin: string; messages: number }>(
      inventory,
      `SELECT xmin::text AS xmin, count(*)::int AS messages FROM inbox WHERE consumer = 'inventory' AND message_id = ANY($1) GROUP BY xmin`,
      [holdIds],
    );
    expect(transactions.reduce((n, t) => n + t.messages, 0)).toBe(buyers.length);
    expect(transactions.length).toBeLessThan(buyers.length);

    await eventually(async () => expect(await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [show.showId] })).toEqual([]));
  });
});
