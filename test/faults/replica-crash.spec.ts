import { KafkaProbe, eventually, runningStack } from '@boxoffice/testing';
import { nonRaceRejections, saleUnderFault, seconds } from './support/sale-under-fault.js';
import { CONSUMERS, CONTEXTS, control, ensureStarted, untilGroupsWhole } from './support/stack-faults.js';

/**
 * kill -9 of one replica of each context in turn, mid-saga. The replica stays
 * dead until every order of the sale has settled, so the survivor must have
 * taken its partitions over (after the 10 s session timeout); then it comes
 * back and the group is whole again.
 */
const stack = runningStack();
const kafka = new KafkaProbe(stack.kafka.brokers);

describe('a replica of each context killed mid-saga', () => {
  afterEach(async () => {
    for (const context of CONTEXTS) await ensureStarted(`app:${context}-1`);
  });

  it.each(CONTEXTS)(
    'kill -9 of %s-1: its partitions move, every order settles, nothing lost or duplicated',
    async (context) => {
      const outcome = await saleUnderFault(stack, {
        scenario: `kill -9 ${context}-1`,
        buyers: 30,
        seats: 100,
        ratePerSecond: 3,
        fault: async (sale) => {
          await sale.untilPosted(6);
          const killedAt = Date.now();
          await control().kill(`app:${context}-1`);
          if (CONSUMERS.has(context)) await eventually(async () => expect(await kafka.groupMembers(context)).toBe(1), { timeoutMs: 90_000, intervalMs: 500 });
          const rebalancedAfter = seconds(Date.now() - killedAt);
          await sale.untilPosted(30);
          await sale.untilSettled();
          const restartAt = Date.now();
          await control().start(`app:${context}-1`);
          return { partitionsMovedAfterSeconds: CONSUMERS.has(context) ? rebalancedAfter : 'no consumer group', downSeconds: seconds(restartAt - killedAt), restartSeconds: seconds(Date.now() - restartAt) };
        },
      });
      expect(outcome.unresolved).toEqual([]);
      expect(outcome.lostOrDuplicated).toEqual([]);
      expect(nonRaceRejections(outcome)).toEqual({});
      expect(outcome.invariants).toEqual([]);
      await untilGroupsWhole(stack);
    },
    600_000,
  );
});
