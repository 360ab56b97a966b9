import { trace } from '@opentelemetry/api';
import { EnvelopeSchema, type Envelope, type EventContract, type PayloadOf } from '@boxoffice/contracts';
import type { MessagePublisher } from '../message-publisher.port.js';
import { deadLetterOf } from './dead-letter.js';
import type { Delivery } from './delivery.js';
import { describeMessage } from '../tracing.js';

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
  /** Told when a message has been dead-lettered, and each time the dead-letter topic could not be written. */
  onDeadLetter?: (outcome: 'written' | 'failed', delivery: Delivery) => void;
  /**
   * Told when the handling of a delivery starts and stops waiting out an
   * unreachable database: a partition that waits for the infrastructure is
   * not stuck on the message (the database checks say what is wrong).
   */
  onInfrastructureWait?: (delivery: Delivery, waiting: boolean) => void;
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
 * an outage. A dead-letter topic that cannot be written is retried the same
 * way, with backoff and heartbeats, until it takes the dead letter: the
 * partition waits, it never skips a message and the consumer never leaves
 * its group over it. Only a shutdown during such a wait throws, and then the
 * transport redelivers: nothing is ever dropped. Inside a batch (see
 * `givesUpBatch`) any failure throws at once: the batch is handled again one
 * message at a time, where all of the above applies.
 *
 * The value is parsed here, from the delivered bytes: the dead letter then
 * carries exactly those bytes, the key and the headers (see `deadLetterOf`).
 */
export class ReliableConsumer {
  constructor(
    private readonly publisher: MessagePublisher,
    private readonly options: ReliableConsumerOptions,
  ) {}

  async consume<C extends EventContract>(
    contract: C,
    delivery: Delivery,
    handle: (envelope: Envelope<PayloadOf<C>>) => Promise<unknown>,
  ): Promise<ConsumeOutcome> {
    const parsed = parseEnvelope(contract, delivery.value);
    if (!parsed.ok) {
      const invalid = new Error(`invalid message: ${parsed.reason}`);
      if (this.options.givesUpBatch?.(invalid)) throw invalid;
      await this.deadLetter(delivery, invalid.message, 0);
      return 'dead-lettered';
    }
    const span = trace.getActiveSpan();
    if (span) describeMessage(span, parsed.envelope);
    const maxAttempts = this.options.maxAttempts ?? 5;
    let failures = 0;
    let waiting = false;
    try {
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
          if (transient !== waiting) {
            waiting = transient;
            this.options.onInfrastructureWait?.(delivery, waiting);
          }
          // Only the message's own failures count towards dead-lettering.
          if (!transient) failures += 1;
          if (failures >= maxAttempts) {
            await this.deadLetter(delivery, `handler failed ${failures} times: ${reason}`, attempt);
            return 'dead-lettered';
          }
          await this.pause(delivery, attempt);
        }
      }
    } finally {
      if (waiting) this.options.onInfrastructureWait?.(delivery, false);
    }
  }

  /** Writes the dead letter, retrying until the dead-letter topic takes it (or the process stops). */
  private async deadLetter(delivery: Delivery, reason: string, attempts: number): Promise<void> {
    const letter = deadLetterOf(this.options.deadLetterTopic, delivery, { reason, group: this.options.consumer, attempts });
    const where = { topic: delivery.topic, partition: delivery.partition, offset: delivery.offset };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.publisher.publish([letter]);
        this.options.log?.('dead-lettered', { ...where, deadLetterTopic: this.options.deadLetterTopic, reason });
        this.options.onDeadLetter?.('written', delivery);
        return;
      } catch (error) {
        const failure = error instanceof Error ? error.message : String(error);
        this.options.log?.('dead-letter-failed', { ...where, deadLetterTopic: this.options.deadLetterTopic, attempt, reason, failure });
        this.options.onDeadLetter?.('failed', delivery);
        if (this.options.isStopping?.()) throw error;
        await this.pause(delivery, attempt);
      }
    }
  }

  /** Backoff between attempts, heartbeating first so the group keeps this member. */
  private async pause(delivery: Delivery, attempt: number): Promise<void> {
    const backoff = this.options.backoffMillis ?? 100;
    const maxBackoff = this.options.maxBackoffMillis ?? 5000;
    await delivery.heartbeat();
    await new Promise((resolve) => setTimeout(resolve, Math.min(maxBackoff, backoff * 2 ** (Math.min(attempt, 16) - 1))));
  }
}

type ParseResult<T> = { ok: true; envelope: Envelope<T> } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the delivered bytes as JSON, then as our envelope, then as the contract's payload. */
function parseEnvelope<C extends EventContract>(contract: C, value: Buffer | null): ParseResult<PayloadOf<C>> {
  if (value === null) return { ok: false, reason: 'not JSON: the message has no value (null)' };
  let raw: unknown;
  try {
    raw = JSON.parse(utf8.decode(value));
  } catch (error) {
    const why = error instanceof SyntaxError ? error.message : 'the value is not valid UTF-8';
    return { ok: false, reason: `not JSON: ${why}` };
  }
  const envelope = EnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, reason: `envelope: ${envelope.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  if (envelope.data.type !== contract.type || envelope.data.schemaVersion !== contract.version) {
    return { ok: false, reason: `expected ${contract.type} v${contract.version}, got ${envelope.data.type} v${envelope.data.schemaVersion}` };
  }
  const payload = contract.payload.safeParse(envelope.data.payload);
  if (!payload.success) return { ok: false, reason: `payload: ${payload.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  return { ok: true, envelope: { ...envelope.data, payload: payload.data as PayloadOf<C> } };
}
