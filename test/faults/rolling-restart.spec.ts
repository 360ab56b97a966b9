import { runningStack } from '@boxoffice/testing';
import { nonRaceRejections, saleUnderFault, seconds } from './support/sale-under-fault.js';
import { ensureStarted, control, untilGroupsWhole } from './support/stack-faults.js';

/**
 * A rolling restart of every app (a deployment): one instance at a time,
 * each stopped cleanly (SIGTERM) and started again: the gateway first (while
 * orders are still being placed), then the saga's contexts, then the rest. While the single gateway restarts, POSTs and polls fail; a
 * client retrying its POST with the same Idempotency-Key must get its order
 * (once), and every order must settle.
 */
const stack = runningStack();
const ORDER = ['gateway', 'ordering', 'inventory', 'payments', 'catalog', 'ticketing', 'notifications'];

describe('a rolling restart of every app under load', () => {
  it(
    'restarts each instance in turn: no failure that a retry with the same idempotency key does not fix',
    async () => {
      const instances = ORDER.flatMap((app) => stack.apps[app].map((_, r) => `app:${app}-${r}`));
      try {
        const outcome = await saleUnderFault(stack, {
          scenario: 'rolling restart of every app',
          buyers: 150,
          seats: 400,
          ratePerSecond: 1,
          fault: async (sale) => {
            await sale.untilPosted(5);
            const restartSeconds: Record<string, number> = {};
            for (const id of instances) {
              const at = Date.now();
              await control().stop(id);
              await control().start(id);
              restartSeconds[id.replace('app:', '')] = seconds(Date.now() - at);
            }
            return { restartSeconds };
          },
        });
        expect(outcome.unresolved).toEqual([]);
        expect(outcome.lostOrDuplicated).toEqual([]);
        expect(nonRaceRejections(outcome)).toEqual({});
        expect(outcome.invariants).toEqual([]);
      } finally {
        for (const id of instances) await ensureStarted(id);
      }
      await untilGroupsWhole(stack);
    },
    900_000,
  );
});
