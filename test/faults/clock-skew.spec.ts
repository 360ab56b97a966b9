import { queryDatabase, runningStack } from '@boxoffice/testing';
import { nonRaceRejections, record, saleUnderFault } from './support/sale-under-fault.js';
import { control, ensureStarted, untilGroupsWhole } from './support/stack-faults.js';

/**
 * Clock skew: one replica of every saga context runs with its wall clock
 * seven minutes ahead or behind (CLOCK_OFFSET_MS, a test-only setting:
 * libs/platform/src/fault-injection.ts), next to a replica with the right
 * time. Holds (120 s) and step deadlines (30 s) are far shorter than the
 * skew: read from a process clock, holds would lapse at once or outlive
 * their order, and steps would time out at once or never. They are read
 * from each shard's database clock, so the sale must go as without skew.
 * Ordering needs no clock at all (each aggregate's version orders its messages).
 */
const stack = runningStack();
const MINUTE = 60_000;
const SKEWED: Record<string, number> = {
  'app:ordering-1': 7 * MINUTE,
  'app:inventory-1': -7 * MINUTE,
  'app:payments-1': 7 * MINUTE,
  'app:ticketing-1': -7 * MINUTE,
  'app:notifications-1': 7 * MINUTE,
};

async function restartAll(env: (id: string) => Record<string, string> | undefined): Promise<void> {
  for (const id of Object.keys(SKEWED)) {
    await control().stop(id);
    await control().start(id, env(id));
  }
}

describe('clock skew between processes', () => {
  beforeAll(() => restartAll((id) => ({ CLOCK_OFFSET_MS: String(SKEWED[id]) })), 600_000);
  afterAll(async () => {
    await restartAll(() => undefined);
    for (const id of Object.keys(SKEWED)) await ensureStarted(id);
    await untilGroupsWhole(stack);
  }, 600_000);

  it(
    'replicas 7 minutes ahead and behind: holds, deadlines and the saga behave as without skew',
    async () => {
      const [{ now: saleStart }] = await queryDatabase<{ now: Date }>(stack.databases.ordering[0].primary, 'SELECT now()');
      const outcome = await saleUnderFault(stack, {
        scenario: 'clock skew of ±7 minutes',
        buyers: 30,
        seats: 100,
        ratePerSecond: 3,
        fault: async () => ({ clockOffsetMs: SKEWED }),
      });
      expect(outcome.unresolved).toEqual([]);
      expect(outcome.lostOrDuplicated).toEqual([]);
      // A hold lapsed early would reject as seat-hold-expired; a deadline read from a clock ahead, as a timeout.
      expect(nonRaceRejections(outcome)).toEqual({});
      expect(outcome.invariants).toEqual([]);

      // The skew was real: messages stamped by a skewed replica carry its clock (producedAt), seven minutes off the database's.
      const skewByInstance: Record<string, number> = {};
      for (const context of ['ordering', 'inventory']) {
        for (const shard of stack.databases[context]) {
          const rows = await queryDatabase<{ instance: string; skew: string }>(
            shard.primary,
            `SELECT envelope->'producer'->>'instance' AS instance,
                    avg(extract(epoch FROM (envelope->>'producedAt')::timestamptz - created_at))::text AS skew
               FROM outbox WHERE created_at >= $1 GROUP BY 1`,
            [saleStart],
          );
          for (const row of rows) skewByInstance[row.instance] = Math.round(Number(row.skew));
        }
      }
      record({ scenario: 'clock skew of ±7 minutes', producedAtMinusCommitSeconds: skewByInstance });
      expect(skewByInstance['ordering-1']).toBeGreaterThan(6 * 60);
      expect(skewByInstance['inventory-1']).toBeLessThan(-6 * 60);
      expect(Math.abs(skewByInstance['ordering-0'])).toBeLessThan(60);
    },
    600_000,
  );
});
