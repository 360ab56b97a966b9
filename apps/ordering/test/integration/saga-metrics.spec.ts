import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SeatReply } from '@boxoffice/contracts';
import { KafkaMessagePublisher, type ConsumedMessage } from '@boxoffice/messaging';
import { BucketMap, ShardRouter, WriteBatch } from '@boxoffice/persistence';
import { OutboxRelays, PlatformMetrics } from '@boxoffice/platform';
import { keyOnShard, parsePrometheusText, runningStack, samplesOf, scratchDatabase } from '@boxoffice/testing';
import { HandleSeatReplyHandler } from '../../src/application/handle-seat-reply/handle-seat-reply.handler.js';
import { PlaceOrderHandler } from '../../src/application/place-order/place-order.handler.js';
import { SagaMetrics } from '../../src/infrastructure/metrics/saga-metrics.js';
import { PostgresOrderStore } from '../../src/infrastructure/persistence/postgres-order-store.js';
import { orderingDatabase } from '../../src/ordering.database.js';

/**
 * The saga metrics count a move once, when the change that made it commits:
 * not when its COMMIT fails, and not twice when its message is redone after
 * a write batch whose commit was half done (ADR 0015). On throwaway ordering
 * databases on the stack's real Postgres servers, one per shard, with the
 * real order store; a deferred constraint trigger makes Postgres refuse the
 * COMMIT of a change to the orders named in `refuse_commit`.
 */
const stack = runningStack();
const identity = { service: 'ordering', instance: 'saga-metrics-test', host: '127.0.0.1', port: 0 };
const settings = { holdSeconds: 60, stepTimeoutSeconds: 30 };
const buckets = BucketMap.even(2);
const databases: { dataSource: DataSource; drop: () => Promise<void> }[] = [];
let router: ShardRouter;
let publisher: KafkaMessagePublisher;
let metrics: PlatformMetrics;
let place: PlaceOrderHandler;
let seatReply: HandleSeatReplyHandler;

beforeAll(async () => {
  // A shard each on the stack's two ordering servers (or both on its one).
  for (const shard of [0, 1]) {
    const server = stack.databases.ordering[shard % stack.databases.ordering.length].primary;
    const database = await scratchDatabase(server, orderingDatabase.migrations);
    databases.push(database);
    await database.dataSource.query(`
      CREATE TABLE refuse_commit (order_id uuid PRIMARY KEY);
      CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM refuse_commit WHERE order_id = NEW.order_id) THEN
          RAISE EXCEPTION 'the commit of order % is refused', NEW.order_id;
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER refuse_commit AFTER UPDATE ON orders DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION refuse_commit();`);
  }
  router = ShardRouter.create(
    { shards: databases.map(({ dataSource }) => ({ primary: String((dataSource.options as { url: string }).url), replicas: [] })), bucketMap: buckets, writeTimeoutMs: 3000 },
    { applicationName: 'saga-metrics-test', entities: [], migrations: [], poolSize: 4 },
  );
  await router.initialize();
  // The relays are never started, nor the publisher connected: the staged saga commands stay in the outbox.
  publisher = new KafkaMessagePublisher({ brokers: stack.kafka.brokers, clientId: 'saga-metrics-test' });
  metrics = new PlatformMetrics(identity);
  const store = new PostgresOrderStore(router, new OutboxRelays(router, publisher), identity, settings, new SagaMetrics(metrics));
  place = new PlaceOrderHandler(store, settings);
  seatReply = new HandleSeatReplyHandler(store);
});

afterAll(async () => {
  await router?.destroy();
  for (const { drop } of databases) await drop();
});

/** An order on `shard`, holding its seats, and the reply that rejects its hold (the saga's end: rejected). */
async function orderOnShard(shard: number): Promise<{ orderId: string; rejection: ConsumedMessage<SeatReply> }> {
  const customer = `customer-${randomUUID()}`;
  const placed = await place.execute({ customerId: customer, customerEmail: `${customer}@example.test`, showId: randomUUID(), seatIds: ['A-1-1'], callbackUrl: null, idempotencyKey: keyOnShard(buckets, customer, shard) });
  if (!placed.ok) throw new Error(JSON.stringify(placed.error));
  const orderId = placed.value.order.id;
  const payload: SeatReply = { outcome: 'hold-rejected', orderId, showId: placed.value.order.snapshot().showId, reason: 'seats-unavailable', seatIds: ['A-1-1'] };
  return { orderId, rejection: { messageId: randomUUID(), type: 'inventory.seat-reply', correlationId: orderId, payload } };
}

const refuseCommits = (shard: number, orderId: string) => databases[shard].dataSource.query(`INSERT INTO refuse_commit (order_id) VALUES ($1)`, [orderId]);
const allowCommits = (shard: number) => databases[shard].dataSource.query(`DELETE FROM refuse_commit`);

async function counted(): Promise<{ rejected: number; holdingSteps: number }> {
  const samples = parsePrometheusText(await metrics.scrape());
  const sum = (name: string, labels: Record<string, string>) => samplesOf(samples, name, labels).reduce((total, sample) => total + sample.value, 0);
  return {
    rejected: sum('boxoffice_saga_outcomes_total', { outcome: 'rejected', reason: 'seats-unavailable' }),
    holdingSteps: sum('boxoffice_saga_step_seconds_count', { step: 'holding-seats' }),
  };
}

describe('the saga metrics', () => {
  it('count nothing for a change whose COMMIT fails, and count it once when its message is redone', async () => {
    const before = await counted();
    const { orderId, rejection } = await orderOnShard(0);
    await refuseCommits(0, orderId);
    await expect(seatReply.execute(rejection)).rejects.toThrow(/is refused/);
    expect(await counted()).toEqual(before);

    await allowCommits(0);
    expect(await seatReply.execute(rejection)).toBe('processed');
    expect(await counted()).toEqual({ rejected: before.rejected + 1, holdingSteps: before.holdingSteps + 1 });
  });

  it('count each change of a half-committed batch once: the shard that committed in the batch, the other when redone', async () => {
    const before = await counted();
    const committed = await orderOnShard(0);
    const refused = await orderOnShard(1);
    await refuseCommits(1, refused.orderId);

    // As the batching consumer writes a fetch's messages (BatchingServerKafka): one transaction per shard.
    const batch = new WriteBatch();
    await batch.run(async () => {
      expect(await seatReply.execute(committed.rejection)).toBe('processed');
      expect(await seatReply.execute(refused.rejection)).toBe('processed');
    });
    expect(await batch.commit()).toBe(false);
    expect(await counted()).toEqual({ rejected: before.rejected + 1, holdingSteps: before.holdingSteps + 1 });

    // Then each message on its own: the one that committed is a duplicate, the other is done now.
    await allowCommits(1);
    expect(await seatReply.execute(committed.rejection)).toBe('duplicate');
    expect(await seatReply.execute(refused.rejection)).toBe('processed');
    expect(await counted()).toEqual({ rejected: before.rejected + 2, holdingSteps: before.holdingSteps + 2 });
  });
});
