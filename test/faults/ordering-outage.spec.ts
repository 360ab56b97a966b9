import { PaymentReplyV1, SeatReplyV1 } from '@boxoffice/contracts';
import { KafkaProbe, queryDatabase, runningStack } from '@boxoffice/testing';
import { nonRaceRejections, record, saleUnderFault, seconds, STEP_DEADLINE_SECONDS, TIMEOUT_REJECTIONS } from './support/sale-under-fault.js';
import { control, ensureStarted, untilGroupsWhole } from './support/stack-faults.js';

/**
 * Ordering's own outage: every ordering replica killed mid-sale and kept
 * down for longer than a saga step's deadline (ORDER_STEP_TIMEOUT_SECONDS),
 * then started again. Inventory and payments answered the steps in flight
 * in time; their replies wait in Kafka. Ordering's deadlines are in its own
 * database and passed meanwhile, so a sweeper that ran before the replies
 * were read would reject (and compensate) orders whose answers were there
 * all along. None may be: a step times out only once every reply that was
 * in Kafka has been handled, and counts from when its command left
 * ordering's outbox (docs/saga.md, "Deadlines"; ADR 0040).
 */
const stack = runningStack();
const kafka = new KafkaProbe(stack.kafka.brokers);
/** Longer than a step's deadline, so that every step in flight when ordering went down is past it when it returns. */
const DOWN_SECONDS = STEP_DEADLINE_SECONDS + 15;

/** The replies that answer the first two steps, the only ones whose time-out rejects an order. */
const ANSWERS: Record<string, { topic: string; outcomes: Set<string> }> = {
  'seat-hold-timeout': { topic: SeatReplyV1.topic, outcomes: new Set(['held', 'hold-rejected']) },
  'payment-timeout': { topic: PaymentReplyV1.topic, outcomes: new Set(['authorized', 'declined']) },
};

const replicas = (): string[] => stack.apps.ordering.map((_, r) => `app:ordering-${r}`);

/** The orders of `orderIds` answered by a reply that was in `topic` below the offsets of `before`, by outcome. */
async function answeredBefore(topic: string, before: Map<number, bigint>, orderIds: Set<string>): Promise<Map<string, string[]>> {
  const answered = new Map<string, string[]>();
  for (const message of await kafka.readAll(topic)) {
    if (BigInt(message.offset) >= (before.get(message.partition) ?? 0n) || message.value === null) continue;
    const { payload } = JSON.parse(message.value) as { payload: { orderId: string; outcome: string } };
    if (orderIds.has(payload.orderId)) answered.set(payload.orderId, [...(answered.get(payload.orderId) ?? []), payload.outcome]);
  }
  return answered;
}

describe("ordering's own outage", () => {
  it(
    'every ordering replica killed for longer than a step deadline: no order times out whose reply was already in Kafka, every order settles',
    async () => {
      const repliesBeforeRestart = new Map<string, Map<number, bigint>>();
      try {
        const outcome = await saleUnderFault(stack, {
          scenario: 'ordering down beyond the step deadline',
          buyers: 30,
          seats: 100,
          ratePerSecond: 4,
          fault: async (sale) => {
            await sale.untilPosted(10);
            const downAt = Date.now();
            await Promise.all(replicas().map((id) => control().kill(id)));
            await new Promise((resolve) => setTimeout(resolve, DOWN_SECONDS * 1000));
            // Whatever is below these offsets was in Kafka before any ordering replica could read it.
            for (const { topic } of Object.values(ANSWERS)) repliesBeforeRestart.set(topic, await kafka.endOffsets(topic));
            const repliesWaiting = Number(await kafka.lag('ordering', [SeatReplyV1.topic, PaymentReplyV1.topic]));
            const startAt = Date.now();
            await Promise.all(replicas().map((id) => control().start(id)));
            return { downSeconds: seconds(startAt - downAt), restartSeconds: seconds(Date.now() - startAt), repliesWaiting };
          },
        });

        const timedOut = (
          await Promise.all(
            stack.databases.ordering.map((shard) =>
              queryDatabase<{ order_id: string; rejection_reason: string }>(shard.primary, 'SELECT order_id, rejection_reason FROM orders WHERE show_id = $1 AND rejection_reason = ANY($2)', [
                outcome.showId,
                [...TIMEOUT_REJECTIONS],
              ]),
            ),
          )
        ).flat();
        // A timed-out order whose step had been answered in time: the answer was in Kafka before ordering came back.
        const timedOutDespiteAnswer: string[] = [];
        for (const [reason, { topic, outcomes }] of Object.entries(ANSWERS)) {
          const ids = new Set(timedOut.filter((row) => row.rejection_reason === reason).map((row) => row.order_id));
          const answered = await answeredBefore(topic, repliesBeforeRestart.get(topic) ?? new Map(), ids);
          for (const [orderId, replies] of answered) if (replies.some((r) => outcomes.has(r))) timedOutDespiteAnswer.push(`${orderId}: ${reason}, answered ${replies.join(', ')} before the restart`);
        }
        record({ scenario: 'ordering down beyond the step deadline', timedOut: timedOut.length, timedOutDespiteAnswer: timedOutDespiteAnswer.length });

        // The outage left answers unread (else the scenario proved nothing), and none of their orders timed out.
        expect(outcome.fault.repliesWaiting).toBeGreaterThan(0);
        expect(outcome.unresolved).toEqual([]);
        expect(outcome.lostOrDuplicated).toEqual([]);
        expect(timedOutDespiteAnswer).toEqual([]);
        // Inventory and payments were up throughout, and a step counts from when its command left ordering's
        // outbox: no time-out at all, nothing but seat races.
        expect(nonRaceRejections(outcome)).toEqual({});
        expect(outcome.invariants).toEqual([]);
      } finally {
        for (const id of replicas()) await ensureStarted(id);
      }
      await untilGroupsWhole(stack);
    },
    900_000,
  );
});
