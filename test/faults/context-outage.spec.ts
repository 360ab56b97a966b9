import { runningStack } from '@boxoffice/testing';
import { rejectionsBeyondTheBound, saleUnderFault, seconds } from './support/sale-under-fault.js';
import { control, ensureStarted, untilGroupsWhole } from './support/stack-faults.js';

/**
 * A whole context down mid-sale. Orders wait for it; what happens to the
 * ones that wait longer than a saga step's deadline (ORDER_STEP_TIMEOUT_SECONDS,
 * 30 s by default; docs/saga.md, "Deadlines") is the documented bound: an
 * outage shorter than it rejects nothing, a longer one makes the orders
 * stuck on that step give up cleanly (timed out, compensated), never half done.
 */
const stack = runningStack();

function replicasOf(context: string): string[] {
  return stack.apps[context].map((_, r) => `app:${context}-${r}`);
}

describe('a whole context stopped mid-sale', () => {
  it(
    'inventory killed and started again (an outage as long as a restart): orders wait, then settle, none rejected for it if it stayed under the bound',
    async () => {
      try {
        const outcome = await saleUnderFault(stack, {
          scenario: 'inventory down for a restart',
          buyers: 30,
          seats: 100,
          ratePerSecond: 3,
          fault: async (sale) => {
            await sale.untilPosted(8);
            const downAt = Date.now();
            await Promise.all(replicasOf('inventory').map((id) => control().kill(id)));
            await Promise.all(replicasOf('inventory').map((id) => control().start(id)));
            return { downSeconds: seconds(Date.now() - downAt) };
          },
        });
        expect(outcome.unresolved).toEqual([]);
        expect(outcome.lostOrDuplicated).toEqual([]);
        expect(rejectionsBeyondTheBound(outcome, Number(outcome.fault.downSeconds))).toEqual({});
        expect(outcome.invariants).toEqual([]);
      } finally {
        for (const id of replicasOf('inventory')) await ensureStarted(id);
      }
      await untilGroupsWhole(stack);
    },
    600_000,
  );

  it(
    'payments stopped for a minute (over the bound): orders wait, then settle; those past their deadline are compensated, nothing is half done',
    async () => {
      try {
        const outcome = await saleUnderFault(stack, {
          scenario: 'payments stopped for a minute',
          buyers: 60,
          seats: 200,
          ratePerSecond: 1,
          fault: async (sale) => {
            await sale.untilPosted(8);
            const downAt = Date.now();
            await Promise.all(replicasOf('payments').map((id) => control().stop(id)));
            await new Promise((resolve) => setTimeout(resolve, 60_000));
            const startAt = Date.now();
            await Promise.all(replicasOf('payments').map((id) => control().start(id)));
            return { stoppedSeconds: seconds(startAt - downAt), restartSeconds: seconds(Date.now() - startAt) };
          },
        });
        expect(outcome.unresolved).toEqual([]);
        expect(outcome.lostOrDuplicated).toEqual([]);
        // Orders still waiting for payments after 30 s time out and are compensated; no other reason appears.
        expect(rejectionsBeyondTheBound(outcome, Number(outcome.fault.stoppedSeconds))).toEqual({});
        expect(outcome.invariants).toEqual([]);
      } finally {
        for (const id of replicasOf('payments')) await ensureStarted(id);
      }
      await untilGroupsWhole(stack);
    },
    600_000,
  );
});
