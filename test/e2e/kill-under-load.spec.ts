import { eventually, everyAppReady, KafkaProbe, runningStack, StackControl } from '@boxoffice/testing';
import { nonRaceRejections, saleUnderFault } from '../faults/support/sale-under-fault.js';

/**
 * The quick one of the fault suite (test/faults, `npm run test:faults`,
 * docs/reliability.md), run by `npm test` too: kill -9 of one inventory
 * replica in the middle of a flash sale. It stays dead until every order has
 * settled, so the other replica must take its partitions over.
 */
const stack = runningStack();
const control = StackControl.fromEnv();
const kafka = new KafkaProbe(stack.kafka.brokers);

describe('a replica killed under flash-sale load', () => {
  // Whatever happened, the tests that follow get every replica back, in its group.
  afterEach(() => everyAppReady(stack));

  it('kill -9 of inventory-1 mid-saga: its partitions move, every order settles, nothing lost or duplicated', async () => {
    try {
      const outcome = await saleUnderFault(stack, {
        scenario: 'kill -9 inventory-1 (npm test)',
        buyers: 24,
        seats: 80,
        ratePerSecond: 3,
        fault: async (sale) => {
          await sale.untilPosted(6);
          await control.kill('app:inventory-1');
          await eventually(async () => expect(await kafka.groupMembers('inventory')).toBe(1), { timeoutMs: 90_000, intervalMs: 500 });
          await sale.untilPosted(24);
          await sale.untilSettled();
        },
      });
      expect(outcome.accepted).toBe(24);
      expect(outcome.unresolved).toEqual([]);
      expect(outcome.lostOrDuplicated).toEqual([]);
      expect(nonRaceRejections(outcome)).toEqual({});
      expect(outcome.invariants).toEqual([]);
    } finally {
      await control.start('app:inventory-1').catch((error: unknown) => {
        if (!String(error).includes('already running')) throw error;
      });
    }
    await eventually(async () => expect(await kafka.groupMembers('inventory')).toBe(2), { timeoutMs: 90_000, intervalMs: 1000 });
  }, 300_000);
});
