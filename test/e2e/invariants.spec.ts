import { BucketMap } from '@boxoffice/persistence';
import { BoxofficeApi, eventually, queryDatabase, runningStack } from '@boxoffice/testing';
import { checkInvariants } from '../../tools/invariants/check-invariants.js';

/**
 * The invariant checker holds on a real sale and catches real breakage: a
 * checker that cannot fail would prove nothing in the load and fault runs.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const buckets = new BucketMap(stack.bucketMap);

async function saleWithOutcomes(title: string): Promise<{ showId: string; seatIds: string[] }> {
  const show = await api.publishShow(title, [{ code: 'A', rows: 1, seatsPerRow: 6, priceTier: 'STD' }]);
  await api.waitUntilOnSale(show.showId);
  const orders = await Promise.all([
    api.placeOrder('inv-a', { showId: show.showId, seatIds: [show.seatIds[0], show.seatIds[1]] }),
    api.placeOrder('inv-b', { showId: show.showId, seatIds: [show.seatIds[1]] }),
    api.placeOrder('decline-inv-c', { showId: show.showId, seatIds: [show.seatIds[2]] }),
  ]);
  await Promise.all(orders.map((o, i) => api.settledOrder(['inv-a', 'inv-b', 'decline-inv-c'][i], o.body.orderId)));
  return show;
}

describe('invariant checker', () => {
  it('finds nothing wrong after confirmed, lost and declined orders', async () => {
    const { showId } = await saleWithOutcomes('Invariants hold');
    // Tickets follow the confirmation asynchronously: the checker holds once they are issued.
    await eventually(async () => expect(await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [showId] })).toEqual([]));
  });

  it('catches a seat sold to an order that does not exist and a ticket without a sale', async () => {
    const { showId, seatIds } = await saleWithOutcomes('Invariants broken');
    const inventory = stack.databases.inventory[buckets.shardOf(showId)].primary;
    await queryDatabase(inventory, `UPDATE seats SET status = 'sold', order_id = '01960000-0000-7000-8000-00000000beef', held_until = NULL WHERE show_id = $1 AND seat_id = $2`, [showId, seatIds[5]]);
    const violations = await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [showId] });
    expect(violations.map((v) => v.rule)).toContain('seat-owner-is-an-order');
  });

  it('catches a cancelled show that kept a sale: a confirmed order and valid tickets', async () => {
    const { showId } = await saleWithOutcomes('Invariants: cancelled but sold');
    await eventually(async () => expect(await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [showId] })).toEqual([]));
    // What cancelling did before orders were refunded: the show stopped selling, and that was all.
    const inventory = stack.databases.inventory[buckets.shardOf(showId)].primary;
    await queryDatabase(inventory, `INSERT INTO cancelled_shows (show_id, cancelled_by) VALUES ($1, $2)`, [showId, '01960000-0000-7000-8000-00000000cafe']);
    const violations = await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [showId] });
    expect(violations.filter((v) => v.rule === 'cancelled-shows-keep-no-sales').map((v) => v.detail)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^order .* \(confirmed\): its show .* is cancelled$/), expect.stringMatching(/has a valid ticket/)]),
    );
  });
});
