import { checkInvariants } from '../../tools/invariants/check-invariants.js';
import { eventually, KafkaProbe, runningStack } from '@boxoffice/testing';
import { nonRaceRejections, record, saleUnderFault } from './support/sale-under-fault.js';
import { control, ensureStarted, untilGroupsWhole } from './support/stack-faults.js';

/**
 * Redelivery from an earlier offset: mid-sale, ordering's and payments'
 * consumer groups are stopped, their committed offsets moved back to the
 * start of every topic with the admin client, and the apps started again.
 * Everything those contexts ever consumed in this run (earlier scenarios'
 * sales included) arrives a second time; each inbox must absorb it: no saga
 * step runs twice, no payment is taken twice, the ledger still balances.
 */
const stack = runningStack();
const kafka = new KafkaProbe(stack.kafka.brokers);
const GROUPS = ['ordering', 'payments'];

describe('redelivery from an earlier offset', () => {
  it(
    'rewinds the ordering and payments groups mid-sale: every redelivered message is deduplicated by the inbox',
    async () => {
      const rewound: Record<string, number> = {};
      try {
        const outcome = await saleUnderFault(stack, {
          scenario: 'consumer groups rewound to the earliest offset',
          buyers: 30,
          seats: 100,
          ratePerSecond: 3,
          fault: async (sale) => {
            await sale.untilPosted(8);
            const replicas = GROUPS.flatMap((group) => stack.apps[group].map((_, r) => `app:${group}-${r}`));
            for (const id of replicas) await control().stop(id);
            for (const group of GROUPS) rewound[group] = await kafka.rewindGroup(group);
            for (const id of replicas) await control().start(id);
          },
        });
        record({ scenario: 'consumer groups rewound to the earliest offset', redelivered: rewound });
        for (const group of GROUPS) expect(rewound[group]).toBeGreaterThan(0);
        expect(outcome.unresolved).toEqual([]);
        expect(outcome.lostOrDuplicated).toEqual([]);
        expect(nonRaceRejections(outcome)).toEqual({});
        expect(outcome.invariants).toEqual([]);
        // The earlier sales' messages came again too: every show of the run still adds up.
        await eventually(async () => expect(await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap })).toEqual([]), { timeoutMs: 90_000, intervalMs: 2000 });
      } finally {
        for (const group of GROUPS) for (const [r] of stack.apps[group].entries()) await ensureStarted(`app:${group}-${r}`);
      }
      await untilGroupsWhole(stack);
    },
    900_000,
  );
});
