import { randomUUID } from 'node:crypto';
import { DeadLetterTopics } from '@boxoffice/contracts';
import { BucketMap } from '@boxoffice/persistence';
import { BoxofficeApi, eventually, KafkaProbe, keyOnShard, queryDatabase, runningStack, StackControl } from '@boxoffice/testing';
import { checkInvariants } from '../../tools/invariants/check-invariants.js';

/**
 * Losing a primary for good. Orders stream in while the primary of shard 1
 * is killed (`kill -9`, nothing flushed, nothing said goodbye); the stack's
 * failover then fences it, promotes the standby that received the most WAL
 * and re-points the other standby at it, as CloudNativePG would. The services
 * are not restarted: they find the new primary themselves.
 *
 * Proven: every order acknowledged (202) before or during the outage is on
 * the new primary exactly once; an order whose placement failed, retried with
 * the same Idempotency-Key, is placed exactly once; every order settles; the
 * invariant checker finds nothing wrong. This runs after every other test,
 * because the fenced node stays out for the rest of the run.
 */
const api = new BoxofficeApi(runningStack().gatewayUrl);
const control = StackControl.fromEnv();
const buckets = new BucketMap(runningStack().bucketMap);
const LOST_SHARD = 1;
const kafka = new KafkaProbe(runningStack().kafka.brokers);

const deadLetterCounts = () => Promise.all(Object.values(DeadLetterTopics).map((topic) => kafka.messageCount(topic)));

interface Attempt {
  key: string;
  seatId: string;
  status: number;
  orderId?: string;
}

describe('failover after a primary is killed', () => {
  it('keeps every acknowledged order, places every retried one once, and settles them all on the promoted primary', async () => {
    const customer = `failover-${randomUUID().slice(0, 8)}`;
    const show = await api.publishShow('Failover night', [{ code: 'A', rows: 3, seatsPerRow: 10, priceTier: 'STD' }]);
    await api.waitUntilOnSale(show.showId);
    const place = async (seatId: string, key = keyOnShard(buckets, customer, LOST_SHARD)): Promise<Attempt> => {
      const response = await api.placeOrder(customer, { showId: show.showId, seatIds: [seatId] }, key);
      return { key, seatId, status: response.status, orderId: response.status === 202 ? response.body.orderId : undefined };
    };

    const deadLettersBefore = await deadLetterCounts();
    const before = await Promise.all(show.seatIds.slice(0, 10).map((seatId) => place(seatId)));
    // Orders keep coming while the primary dies: some are acknowledged, some refused (503).
    const during = show.seatIds.slice(10, 20).map((seatId) => place(seatId));
    await control.kill(`pg:shard${LOST_SHARD}-node0`);
    const duringResults = await Promise.all(during);
    const failover = await control.failover(LOST_SHARD);
    expect(failover.fenced).toBe(`pg:shard${LOST_SHARD}-node0`);
    expect(failover.followers).toHaveLength(1);
    const after = await Promise.all(show.seatIds.slice(20).map((seatId) => place(seatId)));

    const attempts = [...before, ...duringResults, ...after];
    expect(before.every((a) => a.status === 202)).toBe(true);
    expect(attempts.every((a) => a.status === 202 || a.status === 503)).toBe(true);
    // The client's side of the contract: what was refused is retried with the same key until accepted.
    for (const attempt of attempts.filter((a) => a.status !== 202)) {
      const retried = await eventually(() => place(attempt.seatId, attempt.key).then((r) => (r.status === 202 ? r : Promise.reject(new Error(`retry answered ${r.status}`)))));
      attempt.orderId = retried.orderId;
    }

    const stack = runningStack(); // stack.json names the promoted primary now
    const newPrimary = stack.databases.ordering[LOST_SHARD].primary;
    expect(newPrimary).toContain(`:${failover.port}/`);
    const orderIds = attempts.map((a) => a.orderId!);
    const rows = await queryDatabase<{ order_id: string }>(newPrimary, 'SELECT order_id FROM orders WHERE order_id = ANY($1::uuid[])', [orderIds]);
    expect(rows.map((r) => r.order_id).sort()).toEqual([...orderIds].sort());

    const outcomes = await Promise.all(orderIds.map((orderId) => api.settledOrder(customer, orderId, 120000)));
    for (const outcome of outcomes) expect(['confirmed', 'rejected']).toContain(outcome.status);
    // Consumers waited the outage out: not one message was given up on.
    expect(await deadLetterCounts()).toEqual(deadLettersBefore);
    await eventually(async () => expect(await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [show.showId] })).toEqual([]), {
      timeoutMs: 60000,
    });
  });
});
