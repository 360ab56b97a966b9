import { runningStack } from '@boxoffice/testing';
import { rejectionsBeyondTheBound, saleUnderFault, seconds } from './support/sale-under-fault.js';
import { control, ensureStarted, untilGroupsWhole } from './support/stack-faults.js';

/**
 * The only broker killed (kill -9) mid-sale and started again: relays keep
 * their rows until the broker acknowledges them, consumers reconnect and go
 * on from their committed offsets, every order settles. The broker's
 * restart is an outage of the whole saga: if it outlasts the step deadline
 * (docs/saga.md), the orders waiting on their first two steps time out and
 * are compensated; if not, none is rejected for it.
 */
const stack = runningStack();

describe('the broker killed and restarted', () => {
  it(
    'kill -9 of the broker mid-saga, then a start: every order settles, nothing lost or duplicated',
    async () => {
      try {
        const outcome = await saleUnderFault(stack, {
          scenario: 'broker killed and restarted',
          buyers: 30,
          seats: 100,
          ratePerSecond: 3,
          fault: async (sale) => {
            await sale.untilPosted(8);
            const killedAt = Date.now();
            await control().kill('kafka:0');
            await control().start('kafka:0');
            return { brokerDownSeconds: seconds(Date.now() - killedAt) };
          },
        });
        expect(outcome.unresolved).toEqual([]);
        expect(outcome.lostOrDuplicated).toEqual([]);
        expect(rejectionsBeyondTheBound(outcome, Number(outcome.fault.brokerDownSeconds))).toEqual({});
        expect(outcome.invariants).toEqual([]);
      } finally {
        await ensureStarted('kafka:0');
      }
      await untilGroupsWhole(stack);
    },
    600_000,
  );
});
