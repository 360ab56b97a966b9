import { EnvelopeSchema, type Envelope, type EventContract, type PayloadOf } from '@boxoffice/contracts';
import type { MessagePublisher } from '../message-publisher.port.js';

/** What a consumer needs to know about the delivery it is handling (transport-neutral). */
export interface Delivery {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** Keeps the consumer-group membership alive during a long handler. */
  heartbeat(): Promise<void>;
}

export interface ReliableConsumerOptions {
  /** The consuming context; names its inbox rows and its dead-letter topic. */
  consumer: string;
  deadLetterTopic: string;
  maxAttempts?: number;
  backoffMillis?: number;
  /**
   * Says whether a failure is the infrastructure's (a database that cannot be
   * reached), not the message's. Those are retried without limit: a valid
   * message must never be dead-lettered because a primary was down.
   */
  isTransient?: (error: unknown) => boolean;
  /** Longest wait between retries of a transient failure. */
  maxBackoffMillis?: number;
  /** True once the process is shutting down: a transient retry then gives the message back to the broker. */
  isStopping?: () => boolean;
  /**
   * Called on any failure: true when the message is being handled as part of
   * a batch, which the failure now gives up. The message is then neither
   * retried nor dead-lettered here: the failure is rethrown, and the whole
   * batch is handled again one message at a time, where this all applies.
   */
  givesUpBatch?: (failure: unknown) => boolean;
  log?: (event: string, details: Record<string, unknown>) => void;
}

export type ConsumeOutcome = 'handled' | 'dead-lettered';

/**
 * Wraps a message handler so that one bad message can never block a
 * partition: a message that does not match its contract goes straight to the
 * dead-letter topic; a handler that keeps failing is retried a bounded number
 * of times, then dead-lettered. Either way the call returns normally, so the
 * transport commits the offset and moves on. Failures of the infrastructure
 * itself (see `isTransient`) are retried for as long as they last, keeping
 * the partition where it is: order is kept and nothing is dead-lettered for
 * an outage. Only a failure to dead-letter, or a shutdown during an outage,
 * throws, and then the transport redelivers: nothing is ever dropped. Inside
 * a batch (see `givesUpBatch`) any failure throws at once: the batch is
 * handled again one message at a time, where all of the above applies.
 */
export class ReliableConsumer {
  constructor(
    private readonly publisher: MessagePublisher,
    private readonly options: ReliableConsumerOptions,
  ) {}

  async consume<C extends EventContract>(
    contract: C,
    raw: unknown,
    delivery: Delivery,
    handle: (envelope: Envelope<PayloadOf<C>>) => Promise<unknown>,
  ): Promise<ConsumeOutcome> {
    const parsed = parseEnvelope(contract, raw);
    if (!parsed.ok) {
      const invalid = new Error(`invalid message: ${parsed.reason}`);
      if (this.options.givesUpBatch?.(invalid)) throw invalid;
      await this.deadLetter(raw, delivery, invalid.message, 0);
      return 'dead-lettered';
    }
    const maxAttempts = this.options.maxAttempts ?? 5;
    const backoff = this.options.backoffMillis ?? 100;
    const maxBackoff = this.options.maxBackoffMillis ?? 5000;
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await handle(parsed.envelope);
        return 'handled';
      } catch (error) {
        if (this.options.givesUpBatch?.(error)) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        const transient = this.options.isTransient?.(error) ?? false;
        this.options.log?.(transient ? 'infrastructure-unavailable' : 'handler-failed', { topic: delivery.topic, offset: delivery.offset, attempt, reason });
        if (transient && this.options.isStopping?.()) throw error;
        // Only the message's own failures count towards dead-lettering.
        if (!transient) failures += 1;
        if (failures >= maxAttempts) {
          await this.deadLetter(raw, delivery, `handler failed ${failures} times: ${reason}`, attempt);
          return 'dead-lettered';
        }
        await delivery.heartbeat();
        await new Promise((resolve) => setTimeout(resolve, Math.min(maxBackoff, backoff * 2 ** (Math.min(attempt, 16) - 1))));
      }
    }
  }

  private async deadLetter(raw: unknown, delivery: Delivery, reason: string, attempts: number): Promise<void> {
    this.options.log?.('dead-lettered', { topic: delivery.topic, partition: delivery.partition, offset: delivery.offset, reason });
    await this.publisher.publish([
      {
        topic: this.options.deadLetterTopic,
        key: delivery.key ?? `${delivery.topic}:${delivery.partition}:${delivery.offset}`,
        value: typeof raw === 'string' ? raw : JSON.stringify(raw),
        headers: {
          'dlt-original-topic': delivery.topic,
          'dlt-original-partition': String(delivery.partition),
          'dlt-original-offset': delivery.offset,
          'dlt-consumer': this.options.consumer,
          'dlt-reason': reason.slice(0, 1000),
          'dlt-attempts': String(attempts),
        },
      },
    ]);
  }
}

type ParseResult<T> = { ok: true; envelope: Envelope<T> } | { ok: false; reason: string };

function parseEnvelope<C extends EventContract>(contract: C, raw: unknown): ParseResult<PayloadOf<C>> {
  const envelope = EnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, reason: `envelope: ${envelope.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  if (envelope.data.type !== contract.type || envelope.data.schemaVersion !== contract.version) {
    return { ok: false, reason: `expected ${contract.type} v${contract.version}, got ${envelope.data.type} v${envelope.data.schemaVersion}` };
  }
  const payload = contract.payload.safeParse(envelope.data.payload);
  if (!payload.success) return { ok: false, reason: `payload: ${payload.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  return { ok: true, envelope: { ...envelope.data, payload: payload.data as PayloadOf<C> } };
}
