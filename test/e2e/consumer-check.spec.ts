import { BoxofficeApi, eventually, everyAppReady, queryDatabase, runningStack, StackControl } from '@boxoffice/testing';
import { checkConsumers, contextConsumerGroups } from '../../tools/invariants/check-consumers.js';

/**
 * `npm run check-invariants` also sees a context that stopped consuming
 * (tools/invariants/check-consumers.ts): ticketing's consumers die, orders go
 * on confirming, and the confirmations wait on ticketing's topic. The data
 * is not wrong yet, the group is; once ticketing is back, nothing is
 * reported. Other tests share the stack, but each leaves every app ready,
 * so every context's group must be live at the start and end of this one.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const control = StackControl.fromEnv();
const sampleIntervalMs = 3000;

let ticketingDown = false;
afterEach(async () => {
  // A failed test must not leave the next ones without ticketing.
  if (ticketingDown) await control.start('app:ticketing-0');
  ticketingDown = false;
  await everyAppReady(stack);
});

async function ticketsOf(orderId: string): Promise<number> {
  let count = 0;
  for (const shard of stack.databases.ticketing) {
    count += Number((await queryDatabase<{ n: string }>(shard.primary, `SELECT count(*)::text AS n FROM tickets WHERE order_id = $1`, [orderId]))[0].n);
  }
  return count;
}

describe('the invariant checker and the consumer groups', () => {
  it("knows every context's group and the topics it consumes", () => {
    const groups = contextConsumerGroups();
    expect([...groups.keys()]).toEqual(['inventory', 'notifications', 'ordering', 'payments', 'ticketing']);
    expect(groups.get('ticketing')).toEqual(expect.arrayContaining(['ordering.order-confirmed.v1', 'ordering.order-refunded.v1']));
  });

  it('reports a context whose consumer stopped while messages wait for it, and nothing once it consumes again', async () => {
    await eventually(async () => expect(await checkConsumers({ brokers: stack.kafka.brokers, sampleIntervalMs })).toEqual([]), { timeoutMs: 60_000, intervalMs: 500 });

    const { showId, seatIds } = await api.publishShow('Nobody tickets it', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    // Killed, as a crash would: its member stays in the group until the session runs out, then the group is empty.
    await control.kill('app:ticketing-0');
    ticketingDown = true;
    const placed = await api.placeOrder('consumer-check', { showId, seatIds: [seatIds[0]] });
    expect(await api.settledOrder('consumer-check', placed.body.orderId)).toMatchObject({ status: 'confirmed' });

    const reported = await checkConsumers({ brokers: stack.kafka.brokers, sampleIntervalMs });
    const aboutTicketing = reported.filter((v) => v.detail.startsWith('ticketing:'));
    expect(aboutTicketing.length).toBeGreaterThan(0);
    expect(aboutTicketing.map((v) => v.rule)).toEqual(aboutTicketing.map(() => expect.stringMatching(/^consumer-(groups-have-members|partitions-progress)$/)));
    expect(aboutTicketing.map((v) => v.detail).join('\n')).toContain('ordering.order-confirmed.v1');
    // Once the session ran out the group is empty, and the checker says so.
    await eventually(
      async () => {
        const now = await checkConsumers({ brokers: stack.kafka.brokers, sampleIntervalMs });
        expect(now.find((v) => v.detail.startsWith('ticketing:'))).toMatchObject({
          rule: 'consumer-groups-have-members',
          detail: expect.stringMatching(/^ticketing: no member in its consumer group .*messages waiting on .*ordering\.order-confirmed\.v1/),
        });
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(await ticketsOf(placed.body.orderId)).toBe(0);

    await control.start('app:ticketing-0');
    ticketingDown = false;
    await everyAppReady(stack);
    await eventually(async () => expect(await ticketsOf(placed.body.orderId)).toBe(1));
    await eventually(async () => expect(await checkConsumers({ brokers: stack.kafka.brokers, sampleIntervalMs })).toEqual([]), { timeoutMs: 60_000, intervalMs: 500 });
  });

  it('says when Kafka cannot be asked, rather than that every group is fine', async () => {
    const reported = await checkConsumers({ brokers: ['127.0.0.1:1'], sampleIntervalMs });
    expect(reported).toEqual([{ rule: 'consumers-checked', detail: expect.stringMatching(/^Kafka did not answer/) }]);
  });
});
