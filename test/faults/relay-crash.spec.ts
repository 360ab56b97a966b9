import { readFileSync } from 'node:fs';
import { runningStack } from '@boxoffice/testing';
import { nonRaceRejections, saleUnderFault } from './support/sale-under-fault.js';
import { control, ensureStarted, untilGone, untilGroupsWhole } from './support/stack-faults.js';

/**
 * An outbox relay killed inside its batch, before the transaction that marks
 * the rows sent commits: between its read and its publish (the rows must stay
 * unsent and leave later, from the other replica or the restarted one), and
 * between the broker's acknowledgement and the commit (the rows leave twice;
 * consumers' inboxes must absorb the copies). FAULT_RELAY_CRASH
 * (libs/platform/src/fault-injection.ts) makes the replica kill itself there,
 * once: it is set for one start only.
 */
const stack = runningStack();

describe('an outbox relay killed mid-batch', () => {
  it.each([
    ['ordering', 'after-read'],
    ['inventory', 'after-publish'],
  ] as const)(
    '%s-1 dies %s, before marking the rows sent: nothing lost, nothing applied twice',
    async (context, point) => {
      const id = `app:${context}-1`;
      const log = stack.apps[context][1].log;
      const logStart = readFileSync(log, 'utf8').length;
      await control().stop(id);
      // Started while the outboxes are idle, so it lives until the sale gives its relay a batch.
      await control().start(id, { FAULT_RELAY_CRASH: point });
      try {
        const outcome = await saleUnderFault(stack, {
          scenario: `relay of ${context}-1 killed ${point}`,
          buyers: 30,
          seats: 100,
          ratePerSecond: 3,
          fault: async (sale) => {
            await untilGone(stack, context, 1);
            await sale.untilPosted(30);
            await control().start(id);
          },
        });
        expect(readFileSync(log, 'utf8').slice(logStart)).toContain(`fault injection: outbox relay of shard`);
        expect(readFileSync(log, 'utf8').slice(logStart)).toContain(`at ${point}; killing the process`);
        expect(outcome.unresolved).toEqual([]);
        expect(outcome.lostOrDuplicated).toEqual([]);
        expect(nonRaceRejections(outcome)).toEqual({});
        expect(outcome.invariants).toEqual([]);
      } finally {
        await ensureStarted(id);
      }
      await untilGroupsWhole(stack);
    },
    600_000,
  );
});
