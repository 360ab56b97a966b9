import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import type { Envelope } from '@boxoffice/contracts';
import { defineEvent } from '@boxoffice/contracts';
import { z } from 'zod';
import { WriteBatch } from '@boxoffice/persistence';
import { KafkaProbe, oneShardRouter, runningStack, scratchDatabase } from '@boxoffice/testing';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { CreateOutboxAndInbox1764000000000 } from '../../src/outbox/outbox-inbox.migration.js';
import { OutboxTraceContext1764000000200 } from '../../src/outbox/outbox-trace-context.migration.js';
import { stageMessage } from '../../src/outbox/outbox.js';
import { OutboxRelay, RELAY_LOCK_KEY } from '../../src/outbox/outbox-relay.js';
import { processOnce } from '../../src/inbox/inbox.js';
import { KafkaMessagePublisher } from '../../src/kafka/kafka-message-publisher.js';
import type { MessagePublisher } from '../../src/message-publisher.port.js';

/** Outbox and inbox against the stack's real Postgres and Kafka. */
const stack = runningStack();
const serverUrl = stack.databases.catalog[0].primary;
const topic = `it.outbox-order.${Date.now()}`;
const Ticked = defineEvent('it.ticked', 1, z.object({ n: z.number() }));

function envelope(aggregateId: string, version: number): Envelope {
  return {
    messageId: uuidv7(),
    type: Ticked.type,
    schemaVersion: 1,
    aggregateId,
    aggregateVersion: version,
    correlationId: 'it',
    causationId: null,
    producer: { service: 'it', instance: 'it-0' },
    producedAt: new Date().toISOString(),
    payload: { n: version },
  };
}

let dataSource: DataSource;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ dataSource, drop } = await scratchDatabase(serverUrl, [CreateOutboxAndInbox1764000000000, OutboxTraceContext1764000000200]));
  const admin = new Kafka({ clientId: 'it', brokers: stack.kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
  await admin.disconnect();
});

afterAll(async () => {
  await drop();
});

describe('outbox relay', () => {
  it('publishes everything exactly in per-aggregate order, even with three relays racing', async () => {
    const aggregates = ['a1', 'a2', 'a3', 'a4', 'a5'];
    const perAggregate = 60;
    const contract = { ...Ticked, topic };
    // Writers commit interleaved across aggregates, while relays already run.
    const publishers = [0, 1, 2].map(() => new KafkaMessagePublisher({ brokers: stack.kafka.brokers, clientId: 'it-relay' }));
    const relays = publishers.map((p) => new OutboxRelay(dataSource, p, { idleMillis: 20, batchSize: 25 }));
    relays.forEach((r) => r.start());
    for (let version = 1; version <= perAggregate; version++) {
      await Promise.all(aggregates.map((id) => dataSource.transaction((m) => stageMessage(m, contract, envelope(id, version)))));
    }
    await waitUntil(async () => Number((await dataSource.query(`SELECT count(*) FROM outbox WHERE published_at IS NULL`))[0].count) === 0);
    await Promise.all(relays.map((r) => r.stop()));
    await Promise.all(publishers.map((p) => p.disconnect()));

    const messages = await new KafkaProbe(stack.kafka.brokers).readAll(topic);
    for (const id of aggregates) {
      const versions = messages
        .filter((m) => m.key === id)
        .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))
        .map((m) => JSON.parse(m.value ?? '{}').aggregateVersion as number);
      // Each aggregate sits on one partition, so offset order is delivery order.
      expect(versions).toEqual(Array.from({ length: perAggregate }, (_, i) => i + 1));
    }
    expect(messages).toHaveLength(aggregates.length * perAggregate);
  });

  it('sends each message as a publish span of the trace that staged it, named by its traceparent header', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    const tracedTopic = `${topic}.traced`;
    const publisher = new KafkaMessagePublisher({ brokers: stack.kafka.brokers, clientId: 'it-relay' });
    try {
      const admin = new Kafka({ clientId: 'it', brokers: stack.kafka.brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: tracedTopic, numPartitions: 1 }] });
      await admin.disconnect();
      const contract = { ...Ticked, topic: tracedTopic };
      // One message staged within a trace (a request's transaction), one outside any.
      const request = trace.getTracer('it').startSpan('POST /orders');
      await context.with(trace.setSpan(context.active(), request), () => dataSource.transaction((m) => stageMessage(m, contract, envelope('traced', 1))));
      request.end();
      await dataSource.transaction((m) => stageMessage(m, contract, envelope('untraced', 1)));
      const stored: { message_key: string; traceparent: string | null }[] = await dataSource.query(`SELECT message_key, traceparent FROM outbox WHERE topic = $1 ORDER BY id`, [tracedTopic]);
      const { traceId, spanId } = request.spanContext();
      expect(stored).toEqual([
        { message_key: 'traced', traceparent: `00-${traceId}-${spanId}-01` },
        { message_key: 'untraced', traceparent: null },
      ]);

      const relay = new OutboxRelay(dataSource, publisher);
      while ((await relay.publishBatch()) > 0);
      const sent = await new KafkaProbe(stack.kafka.brokers).readAll(tracedTopic);
      expect(sent.map((m) => m.key).sort()).toEqual(['traced', 'untraced']);
      const headerOf = (key: string) => sent.find((m) => m.key === key)?.headers.traceparent;
      const publish = exporter.getFinishedSpans().filter((s) => s.name === `publish ${tracedTopic}`);
      // The untraced message starts a trace of its own at its publish span; the traced one continues its request's.
      expect(publish).toHaveLength(2);
      const publishOfTraced = publish.find((s) => s.spanContext().traceId === traceId);
      expect(publishOfTraced?.parentSpanContext?.spanId).toBe(spanId);
      expect(headerOf('traced')).toBe(`00-${traceId}-${publishOfTraced?.spanContext().spanId}-01`);
      expect(headerOf('untraced')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(headerOf('untraced')).not.toContain(traceId);
    } finally {
      await publisher.disconnect();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    }
  });

  it('publishes nothing, and says so, while another relay holds the outbox longer than it waits', async () => {
    // Through a shard writer, as the services run their relays: its connections refuse a COMMIT that rolled back.
    const router = oneShardRouter((dataSource.options as { url: string }).url, 'relay-lock-test');
    await router.initialize();
    const publisher = new KafkaMessagePublisher({ brokers: stack.kafka.brokers, clientId: 'it-relay' });
    const relay = new OutboxRelay(router.writer().withTimeout(10_000), publisher, { batchSize: 10 });
    const holder = dataSource.createQueryRunner();
    try {
      await dataSource.transaction((m) => stageMessage(m, { ...Ticked, topic }, envelope('held', 1)));
      await holder.connect();
      await holder.startTransaction();
      await holder.query('SELECT pg_advisory_xact_lock($1)', [RELAY_LOCK_KEY]);

      expect(await relay.publishBatch()).toBe(0);

      await holder.rollbackTransaction();
      expect(await relay.publishBatch()).toBe(1);
    } finally {
      await holder.release();
      await publisher.disconnect();
      await router.destroy();
    }
  });

  it('leaves the rows unsent when the broker does not acknowledge them, and sends them with the next batch', async () => {
    const key = `refused-${uuidv7()}`;
    const staged = [envelope(key, 1), envelope(key, 2)];
    for (const message of staged) await dataSource.transaction((m) => stageMessage(m, { ...Ticked, topic }, message));
    const unsent = async () => Number((await dataSource.query(`SELECT count(*) FROM outbox WHERE message_key = $1 AND published_at IS NULL`, [key]))[0].count);
    // The one fake here stands for a broker that refuses: what is tested is the outbox's own transaction, on Postgres.
    const refusing: MessagePublisher = { publish: () => Promise.reject(new Error('broker refused')) };

    await expect(new OutboxRelay(dataSource, refusing, { batchSize: 100 }).publishBatch()).rejects.toThrow('broker refused');
    expect(await unsent()).toBe(2);

    const publisher = new KafkaMessagePublisher({ brokers: stack.kafka.brokers, clientId: 'it-relay' });
    try {
      await new OutboxRelay(dataSource, publisher, { batchSize: 100 }).publishBatch();
    } finally {
      await publisher.disconnect();
    }
    expect(await unsent()).toBe(0);
    const delivered = (await new KafkaProbe(stack.kafka.brokers).readAll(topic)).filter((m) => m.key === key);
    expect(delivered.map((m) => JSON.parse(m.value ?? '{}').aggregateVersion)).toEqual([1, 2]);
  });
});

describe('outbox in a write batch', () => {
  it("stages a batch's messages by one insert before it commits, in the order they were staged", async () => {
    const router = oneShardRouter((dataSource.options as { url: string }).url, 'outbox-batch-test');
    await router.initialize();
    try {
      const staged = [envelope('batched', 1), envelope('batched', 2), envelope('batched', 3)];
      const batch = new WriteBatch();
      await batch.run(async () => {
        for (const message of staged) {
          await router.writer().transaction(async (manager) => {
            await stageMessage(manager, { ...Ticked, topic }, message);
            // Left for the batch's commit: not in the table yet, even inside its transaction.
            expect(await manager.query(`SELECT 1 FROM outbox WHERE message_id = $1`, [message.messageId])).toEqual([]);
          });
        }
      });
      expect(await batch.commit()).toBe(true);

      const rows: { message_id: string }[] = await dataSource.query(`SELECT message_id FROM outbox WHERE message_key = 'batched' ORDER BY id`);
      expect(rows.map((r) => r.message_id)).toEqual(staged.map((m) => m.messageId));
    } finally {
      await router.destroy();
    }
  });
});

describe('inbox', () => {
  it('applies a message once even when ten deliveries race', async () => {
    await dataSource.query(`CREATE TABLE IF NOT EXISTS effects (message_id uuid, n int)`);
    const message = envelope('inbox-agg', 1);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        processOnce(dataSource, 'it-consumer', message, async (manager) => {
          await manager.query(`INSERT INTO effects (message_id, n) VALUES ($1, 1)`, [message.messageId]);
        }),
      ),
    );
    expect(outcomes.filter((o) => o === 'processed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
    const [{ count }] = await dataSource.query(`SELECT count(*) FROM effects WHERE message_id = $1`, [message.messageId]);
    expect(Number(count)).toBe(1);
  });

  it('records nothing when the effect fails, so a redelivery can try again', async () => {
    const message = envelope('inbox-agg', 2);
    await expect(
      processOnce(dataSource, 'it-consumer', message, async () => {
        throw new Error('effect failed');
      }),
    ).rejects.toThrow('effect failed');
    expect(await processOnce(dataSource, 'it-consumer', message, async () => undefined)).toBe('processed');
  });

  it('keeps consumers apart: the same message is processed once per consumer', async () => {
    const message = envelope('inbox-agg', 3);
    expect(await processOnce(dataSource, 'consumer-a', message, async () => undefined)).toBe('processed');
    expect(await processOnce(dataSource, 'consumer-b', message, async () => undefined)).toBe('processed');
    expect(await processOnce(dataSource, 'consumer-a', message, async () => undefined)).toBe('duplicate');
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
