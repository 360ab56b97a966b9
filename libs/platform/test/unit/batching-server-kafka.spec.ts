import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { WriteBatch } from '@boxoffice/persistence';
import { BatchingServerKafka } from '../../src/kafka/batching-server-kafka.js';

/**
 * How the server walks one fetch: which messages share a WriteBatch, when
 * offsets are resolved, and what happens when a batch is given up. The
 * fetch is built here; that batches commit on real Postgres and survive a
 * backlog on a real broker is shown by the write-batch integration test and
 * the batched-consumption end-to-end test.
 */
const TOPIC = 'test.orders';

interface Seen {
  n: number;
  batch: WriteBatch | undefined;
}

function server(batchSize: number, handle: (n: number, batch: WriteBatch | undefined) => void = () => undefined) {
  const seen: Seen[] = [];
  const kafka = new BatchingServerKafka({ client: { brokers: ['127.0.0.1:9'] } }, batchSize);
  kafka.addHandler(
    TOPIC,
    async (value: Buffer) => {
      const data = JSON.parse(value.toString()) as { n: number };
      const batch = WriteBatch.current();
      seen.push({ n: data.n, batch });
      handle(data.n, batch);
    },
    true,
  );
  return { kafka, seen };
}

function fetchOf(count: number, heartbeat: () => Promise<void> = async () => undefined) {
  const resolved: string[] = [];
  const messages: KafkaMessage[] = Array.from({ length: count }, (_, n) => ({
    offset: String(n),
    key: Buffer.from('order-1'),
    value: Buffer.from(JSON.stringify({ n })),
    timestamp: '0',
    attributes: 0,
    headers: {},
  }));
  const payload = {
    batch: { topic: TOPIC, partition: 0, messages },
    resolveOffset: (offset: string) => resolved.push(offset),
    heartbeat,
    isRunning: () => true,
    isStale: () => false,
    pause: () => () => undefined,
  } as unknown as EachBatchPayload;
  return { payload, resolved };
}

const handleBatch = (kafka: BatchingServerKafka, payload: EachBatchPayload): Promise<void> =>
  (kafka as unknown as { handleBatch(p: EachBatchPayload): Promise<void> }).handleBatch(payload);

describe('BatchingServerKafka', () => {
  it("hands a fetch's messages to the handlers in order, in one write batch, and resolves their offsets", async () => {
    const { kafka, seen } = server(20);
    const { payload, resolved } = fetchOf(3);

    await handleBatch(kafka, payload);

    expect(seen.map((s) => s.n)).toEqual([0, 1, 2]);
    expect(seen[0].batch).toBeInstanceOf(WriteBatch);
    expect(new Set(seen.map((s) => s.batch)).size).toBe(1);
    expect(resolved).toEqual(['0', '1', '2']);
  });

  it('cuts a fetch into batches of at most the batch size; a lone message is handled on its own', async () => {
    const { kafka, seen } = server(2);
    const { payload, resolved } = fetchOf(5);

    await handleBatch(kafka, payload);

    expect(seen.map((s) => s.n)).toEqual([0, 1, 2, 3, 4]);
    expect(seen[0].batch).toBe(seen[1].batch);
    expect(seen[2].batch).toBe(seen[3].batch);
    expect(seen[2].batch).not.toBe(seen[0].batch);
    expect(seen[4].batch).toBeUndefined();
    expect(resolved).toEqual(['0', '1', '2', '3', '4']);
  });

  it('handles every message on its own with a batch size of 1', async () => {
    const { kafka, seen } = server(1);
    const { payload, resolved } = fetchOf(3);

    await handleBatch(kafka, payload);

    expect(seen.map((s) => s.batch)).toEqual([undefined, undefined, undefined]);
    expect(resolved).toEqual(['0', '1', '2']);
  });

  it('hands the messages of a batch that was given up to the handlers again, one at a time', async () => {
    // Message 1 cannot be handled in a batch (as a message bound for the dead-letter topic cannot).
    const { kafka, seen } = server(20, (n, batch) => {
      if (n === 1) batch?.fail(new Error('not in a batch'));
    });
    const { payload, resolved } = fetchOf(3);

    await handleBatch(kafka, payload);

    expect(seen.map((s) => [s.n, s.batch ? 'batch' : 'alone'])).toEqual([
      [0, 'batch'],
      [1, 'batch'],
      [0, 'alone'],
      [1, 'alone'],
      [2, 'alone'],
    ]);
    expect(resolved).toEqual(['0', '1', '2']);
  });

  it('ends the batch and resolves nothing when a heartbeat finds the group rebalancing', async () => {
    const rebalancing = new Error('The group is rebalancing, so a rejoin is needed');
    const { kafka, seen } = server(20);
    const { payload, resolved } = fetchOf(3, async () => {
      throw rebalancing;
    });

    await expect(handleBatch(kafka, payload)).rejects.toBe(rebalancing);

    expect(seen.map((s) => s.n)).toEqual([0]);
    expect(resolved).toEqual([]);
    const batch = seen[0].batch!;
    expect(batch.failed).toBe(true);
    // Ended: work that kept it as its context finds no batch to write into (nothing left open, holding locks).
    expect(await batch.run(async () => WriteBatch.current())).toBeUndefined();
  });
});
