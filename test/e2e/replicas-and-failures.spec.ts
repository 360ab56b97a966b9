import { BucketMap } from '@boxoffice/persistence';
import { checkInvariants } from '../../tools/invariants/check-invariants.js';
import { BoxofficeApi, eventually, everyAppReady, KafkaProbe, queryDatabase, runningStack, StackControl } from '@boxoffice/testing';

/**
 * The test stack runs two replicas each of inventory and ordering. Orders keep
 * settling, each seat sold once, while one replica of each is stopped (a
 * rolling restart: the group rebalances), killed (a crash: its partitions
 * wait out the session timeout, then move) and started again.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const kafka = new KafkaProbe(stack.kafka.brokers);
const control = StackControl.fromEnv();
const buckets = new BucketMap(stack.bucketMap);

async function wave(showId: string, seatIds: string[], label: string): Promise<string[]> {
  const placed = await Promise.all(seatIds.map((seatId, i) => api.placeOrder(`${label}-${i}`, { showId, seatIds: [seatId] })));
  expect(placed.map((p) => p.status)).toEqual(seatIds.map(() => 202));
  return placed.map((p) => p.body.orderId);
}

describe('replicas share the work and survive each other', () => {
  // Whatever happened, the tests that follow get every replica back, in its group.
  afterEach(() => everyAppReady(stack));

  it('runs two members in each saga consumer group', async () => {
    for (const group of ['inventory', 'ordering']) await eventually(async () => expect(await kafka.groupMembers(group)).toBe(2), { timeoutMs: 60000 });
  });

  it('settles every order while replicas are stopped, killed and restarted', async () => {
    const { showId, seatIds } = await api.publishShow('Rolling', [{ code: 'A', rows: 3, seatsPerRow: 10, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const orders: [string, string][] = [];
    const record = (label: string, ids: string[]) => ids.forEach((id, i) => orders.push([`${label}-${i}`, id]));

    try {
      record('first', await wave(showId, seatIds.slice(0, 10), 'first'));
      await control.stop('app:ordering-1');
      record('second', await wave(showId, seatIds.slice(10, 20), 'second'));
      await control.kill('app:inventory-1');
      record('third', await wave(showId, seatIds.slice(20, 25), 'third'));
    } finally {
      // Whatever happened above, later tests get the full stack back.
      await control.start('app:ordering-1');
      await control.start('app:inventory-1');
    }
    record('fourth', await wave(showId, seatIds.slice(25, 30), 'fourth'));

    const settled = await Promise.all(orders.map(([customer, id]) => api.settledOrder(customer, id, 110000)));
    expect(settled.map((o) => o.status)).toEqual(orders.map(() => 'confirmed'));

    const rows = await queryDatabase<{ seat_id: string; status: string; order_id: string }>(
      stack.databases.inventory[buckets.shardOf(showId)].primary,
      'SELECT seat_id, status, order_id FROM seats WHERE show_id = $1',
      [showId],
    );
    expect(rows.filter((r) => r.status === 'sold')).toHaveLength(30);
    expect(new Set(rows.map((r) => r.order_id)).size).toBe(30);
    for (const group of ['inventory', 'ordering']) await eventually(async () => expect(await kafka.groupMembers(group)).toBe(2), { timeoutMs: 60000 });
    await eventually(async () => expect(await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [showId] })).toEqual([]));
  });
});
