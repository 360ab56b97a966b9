import type { Kafka, Producer, ProducerBatch, RecordMetadata } from 'kafkajs';

/**
 * kafkajs's idempotent producer, made safe to use again after a send fails.
 *
 * The broker drops a batch whose producer id and sequence numbers match one
 * it already has, and answers as if it had written it. kafkajs takes a batch's
 * sequence numbers back when its send fails, however it failed, so the next
 * batch reuses them. But a send can fail after the leader wrote the batch
 * (acks=all timed out waiting for a follower that had just died, or the
 * connection broke before the reply): the next, different batch then carries
 * the numbers of a batch the broker has, and is dropped while its send
 * resolves with the earlier batch's offset. The three-broker fault scenario
 * lost an acknowledged message this way (docs/reliability.md, Findings).
 *
 * So a failed send retires its producer, and the next send starts a new one
 * under a new producer id, whose numbers nothing on the broker can match.
 * A batch that failed may still have been written: the caller sends it again,
 * and its copies are absorbed downstream (inbox), as after any retry.
 * Sends go one at a time: a send queued in kafkajs behind one that fails would
 * otherwise take its sequence numbers before the producer is retired.
 */
export class IdempotentProducer {
  private current?: { producer: Producer; connected: Promise<void> };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly kafka: Kafka,
    /** Retries within one send keep its sequence numbers: there, the broker's deduplication is what we want. */
    private readonly retry?: { retries?: number; initialRetryTime?: number },
  ) {}

  /** Connects the producer now (it otherwise connects on the first send). */
  async connect(): Promise<void> {
    await this.producer();
  }

  /** Resolves once the cluster acknowledged every message (with the batch's `acks`); rejects otherwise. */
  send(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const sending = this.queue.then(async () => {
      const producer = await this.producer();
      try {
        return await producer.sendBatch(batch);
      } catch (error) {
        this.retire(producer);
        throw error;
      }
    });
    this.queue = sending.catch(() => undefined);
    return sending;
  }

  async disconnect(): Promise<void> {
    await this.queue;
    const current = this.current;
    this.current = undefined;
    if (current) await current.connected.then(
      () => current.producer.disconnect(),
      () => undefined,
    );
  }

  private async producer(): Promise<Producer> {
    if (!this.current) {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, ...(this.retry ? { retry: this.retry } : {}) });
      this.current = { producer, connected: producer.connect() };
    }
    const { producer, connected } = this.current;
    try {
      await connected;
    } catch (error) {
      this.retire(producer);
      throw error;
    }
    return producer;
  }

  private retire(producer: Producer): void {
    if (this.current?.producer !== producer) return;
    this.current = undefined;
    producer.disconnect().catch(() => undefined);
  }
}
