import { KafkaContext, ServerKafka, type KafkaOptions } from '@nestjs/microservices';
import type { Consumer, ConsumerRunConfig, EachBatchPayload, EachMessagePayload, KafkaMessage, Producer } from 'kafkajs';
import { inProcessSpan, TRACEPARENT_HEADER } from '@boxoffice/messaging';
import { WriteBatch } from '@boxoffice/persistence';
import type { ConsumerWatch } from '../health/consumer-health.js';
import { RestartBackoff } from './restart-backoff.js';

/**
 * Nest's Kafka transport, handing the messages one fetch brought from a
 * partition to the same @EventPattern handlers, but writing them as one
 * batch: every handler's transaction on a shard joins one transaction there
 * (WriteBatch), committed once for up to `batchSize` messages. Nest's own
 * server runs kafkajs's `eachMessage` only, so this overrides where it
 * starts the consumer and nothing else.
 *
 * A batch is all or nothing. If any message cannot be handled within it
 * (a failing handler, a message for the dead-letter topic, a lock that does
 * not come, a commit that does not go through), the batch is rolled back
 * and its messages are handled again one at a time, exactly as without
 * batching: retries, outages waited out, dead letters. The inbox makes a
 * repeat of anything that did commit a no-op. Offsets are resolved only
 * for messages whose writes committed, in order.
 *
 * Handlers get the message exactly as kafkajs read it (key, value and
 * headers as the broker's bytes): Nest's parser and deserialiser would turn
 * the value into a string or a re-serialisable object, a null value into the
 * whole message, and header values into parsed JSON, and the dead letter of
 * such a message could no longer carry the original (ADR 0019).
 *
 * A consumer that kafkajs gives up for good (its `CRASH` event with
 * `restart: false`: an error kafkajs does not retry, when joining the group
 * or in the run loop) is started again here, after a bounded backoff
 * (RestartBackoff), for as long as the process runs; until it is a member
 * of its group again, the app is not ready (ADR 0029).
 *
 * Each message is handled in a `process <topic>` span, a child of the hop
 * that published it (its `traceparent` header), so the queries and messages
 * its handler causes join that trace (ADR 0034).
 */
export class BatchingServerKafka extends ServerKafka {
  private runConfig?: ConsumerRunConfig;
  private readonly backoff: RestartBackoff;
  private restartTimer?: NodeJS.Timeout;
  private closing = false;

  constructor(
    options: Required<KafkaOptions>['options'],
    /** Most messages written in one transaction; 1 handles every message on its own. */
    private readonly batchSize: number,
    /** Told about the consumer's group membership and each partition's progress (readiness, /metrics). */
    private readonly watch?: ConsumerWatch,
    backoff?: RestartBackoff,
  ) {
    super(options);
    this.backoff = backoff ?? new RestartBackoff();
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    this.watch?.watch(consumer, this.groupId);
    // kafkajs restarts a consumer only after an error it retries; after any other it has left the group and
    // disconnected, and stays so. Its subscription survives, so the same consumer can simply run again.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.restartLater(consumer, payload.error);
    });
    const topics = [...this.messageHandlers.keys()];
    if (topics.length > 0) await consumer.subscribe({ ...(this.options.subscribe ?? {}), topics });
    this.runConfig = {
      ...(this.options.run ?? {}),
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    };
    await consumer.run(this.runConfig);
  }

  override async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.restartTimer);
    await super.close();
  }

  /**
   * Every subscribed topic has an event handler (the subscription is made from
   * them), which gets the raw value and a context holding the raw message.
   * Nest's request-reply over Kafka is not used (ADR 0008).
   */
  override async handleMessage(payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message, heartbeat } = payload;
    const context = new KafkaContext([message, partition, topic, this.consumer as Consumer, heartbeat, this.producer as Producer]);
    const received = { topic, partition, offset: message.offset, key: message.key, traceparent: headerText(message.headers?.[TRACEPARENT_HEADER]) };
    await inProcessSpan(this.groupId, received, () => this.handleEvent(topic, { pattern: topic, data: message.value }, context));
  }

  /**
   * Our patterns are topic names, never JSON. Nest's default first parses
   * every incoming topic name as JSON and catches the SyntaxError, on every
   * message (what that cost: BENCHMARKS.md).
   */
  protected override getRouteFromPattern(pattern: string): string {
    return this.normalizePattern(pattern);
  }

  private restartLater(consumer: Consumer, error: unknown): void {
    if (this.closing) return;
    const { delayMs, crashesInARow } = this.backoff.crashed();
    this.watch?.restartScheduled(delayMs);
    this.logger.error({ msg: 'Kafka consumer crashed and kafkajs will not restart it: restarting it', group: this.groupId, reason: describe(error), restartInMs: delayMs, crashesInARow });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.restart(consumer), delayMs);
  }

  private async restart(consumer: Consumer): Promise<void> {
    // Closed meanwhile, or Nest replaced the consumer: nothing of ours to bring back.
    if (this.closing || consumer !== this.consumer || !this.runConfig) return;
    this.backoff.restarted();
    this.logger.log({ msg: 'restarting the Kafka consumer', group: this.groupId });
    try {
      // A start that crashes again emits CRASH, which schedules the next attempt; one that throws does it here.
      await consumer.run(this.runConfig);
    } catch (error) {
      this.restartLater(consumer, error);
    }
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    if (batch.messages.length > 0) this.watch?.fetched(batch.topic, batch.partition, batch.firstOffset() ?? batch.messages[0].offset, batch.highWatermark);
    for (let start = 0; start < batch.messages.length; start += this.batchSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + this.batchSize);
      const written = chunk.length > 1 && (await this.writeTogether(payload, chunk));
      if (written) {
        for (const message of chunk) this.resolve(payload, message.offset);
      } else {
        for (const message of chunk) {
          if (!isRunning() || isStale()) return;
          await this.handleOne(payload, message);
          this.resolve(payload, message.offset);
          await heartbeat();
        }
      }
      await heartbeat();
    }
  }

  /** True when every message of the chunk was handled and its writes committed together. */
  private async writeTogether(payload: EachBatchPayload, chunk: KafkaMessage[]): Promise<boolean> {
    const writes = new WriteBatch();
    try {
      await writes.run(async () => {
        for (const message of chunk) {
          try {
            await this.handleOne(payload, message);
          } catch (error) {
            writes.fail(error);
          }
          if (writes.failed) return;
          // kafkajs has no background heartbeat: a batch of slow handlers must keep the group membership alive.
          await payload.heartbeat();
        }
      });
    } catch (error) {
      // A heartbeat that found the group rebalancing: roll back (nothing of the batch may stay open, holding
      // its locks) and let kafkajs rejoin; no offset was resolved, so the messages come again.
      writes.fail(error);
      await writes.commit();
      throw error;
    }
    const committed = await writes.commit();
    if (!committed) {
      this.logger.warn({ msg: 'batch given up; its messages are handled one at a time', topic: payload.batch.topic, partition: payload.batch.partition, messages: chunk.length, reason: describe(writes.failureReason) });
    }
    return committed;
  }

  private handleOne({ batch, heartbeat, pause }: EachBatchPayload, message: KafkaMessage): Promise<unknown> {
    this.watch?.handling(batch.topic, batch.partition, message.offset);
    return this.handleMessage({ topic: batch.topic, partition: batch.partition, message, heartbeat, pause });
  }

  private resolve({ batch, resolveOffset }: EachBatchPayload, offset: string): void {
    resolveOffset(offset);
    this.watch?.handled(batch.topic, batch.partition, offset);
  }
}

/** A header's value as text (the first, when the name repeats). */
function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
