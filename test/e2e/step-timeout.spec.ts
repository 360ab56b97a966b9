import { randomUUID } from 'node:crypto';
import { BucketMap } from '@boxoffice/persistence';
import { BoxofficeApi, eventually, everyAppReady, queryDatabase, runningStack, StackControl } from '@boxoffice/testing';
import { checkInvariants } from '../../tools/invariants/check-invariants.js';

/**
 * A saga step whose answer never comes: with every inventory replica down,
 * the seat hold cannot be answered, and when the step's deadline passes the
 * order gives up (seat-hold-timeout) and asks inventory to release whatever
 * the hold may still take. Deadlines are kept by the database's clock, so
 * instead of waiting the step's 30 s the test moves this order's deadline,
 * and the time its hold command left the outbox, into the past, as time would.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const control = StackControl.fromEnv();
const buckets = new BucketMap(stack.bucketMap);
const inventoryReplicas = stack.apps.inventory.map((app) => `app:${app.instance}`);

describe('a saga step past its deadline', () => {
  afterEach(() => everyAppReady(stack));

  it('rejects the order, releases its seats once inventory is back, and leaves nothing held', async () => {
    const customer = `timeout-${randomUUID().slice(0, 8)}`;
    const show = await api.publishShow('Nobody answers', [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }]);
    await api.waitUntilOnSale(show.showId);
    let placed;
    try {
      for (const id of inventoryReplicas) await control.stop(id);
      placed = await api.placeOrder(customer, { showId: show.showId, seatIds: [show.seatIds[0]] });
      expect(placed.status).toBe(202);
      const orderId = placed.body.orderId;
      const ordering = stack.databases.ordering[buckets.shardOf(orderId)].primary;
      // A step counts from when its command left ordering's outbox (ADR 0040): once the hold is sent, both move back.
      await eventually(async () => {
        const unsent = await queryDatabase(ordering, `SELECT 1 FROM outbox WHERE message_key = $1 AND published_at IS NULL`, [orderId]);
        expect(unsent).toEqual([]);
      });
      await queryDatabase(ordering, `UPDATE outbox SET published_at = published_at - interval '1 hour' WHERE message_key = $1`, [orderId]);
      await queryDatabase(ordering, `UPDATE orders SET step_deadline = now() - interval '1 second' WHERE order_id = $1 AND status = 'holding-seats'`, [orderId]);
      // The sweeper gives up on the hold and asks for a release, which waits for inventory too.
      await eventually(async () => {
        const [row] = await queryDatabase<{ status: string; rejection_reason: string }>(ordering, `SELECT status, rejection_reason FROM orders WHERE order_id = $1`, [orderId]);
        expect(row).toEqual({ status: 'releasing-seats', rejection_reason: 'seat-hold-timeout' });
      });
    } finally {
      for (const id of inventoryReplicas) await control.start(id);
    }
    const settled = await api.settledOrder(customer, placed.body.orderId);
    expect(settled).toMatchObject({ status: 'rejected', rejectionReason: 'seat-hold-timeout' });
    // Among the invariants: a rejected order holds no seat and no money.
    await eventually(async () => expect(await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [show.showId] })).toEqual([]));
  });
});
