import type { TransactionRunner } from '../inbox/inbox.js';
import type { MessagePublisher } from '../message-publisher.port.js';
import { PollingLoop } from '../polling-loop.js';
import { startPublishSpan, traceparentOf, TRACEPARENT_HEADER } from '../tracing.js';

export interface OutboxRelayOptions {
  batchSize?: number;
  /** How long an idle relay waits before looking again (a local `wake()` cuts it short). */
  idleMillis?: number;
  onError?: (error: unknown) => void;
  /**
   * TEST-ONLY fault injection (FAULT_RELAY_CRASH, libs/platform/src/fault-injection.ts): `crash` is called
   * in the first batch that reaches `at`, after its rows were read and marked (`after-read`) or after the
   * broker acknowledged them (`after-publish`), in both cases before the transaction commits.
   */
  fault?: { at: 'after-read' | 'after-publish'; crash: () => void };
}

const DEFAULT_BATCH_SIZE = 200;

/** How long a relay waits for another replica's relay to finish a batch. */
const LOCK_WAIT_MS = 2000;
const LOCK_NOT_AVAILABLE = '55P03';

/** Any fixed number works; it only has to be the same in every replica. */
export const RELAY_LOCK_KEY = 7_461_001;

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  envelope: { messageId: string; type: string };
  traceparent: string | null;
}

/**
 * Publishes one database's outbox to Kafka. Every replica of a service runs a
 * relay per shard, but each batch is taken under a transaction-scoped advisory
 * lock, so at most one relay publishes from a shard at a time and rows leave
 * in id order. A row is marked sent in the transaction that publishes it, so
 * the mark commits only after the broker acknowledged it; a crash in between
 * publishes it again, which consumers' inboxes absorb.
 *
 * Each message leaves as a `publish` span of the trace it was staged in, and
 * carries that span's `traceparent` header to its consumers (ADR 0034).
 *
 * A relay woken while another replica's relay holds the lock waits for it
 * (rather than giving up until its next poll), then takes whatever that one
 * left: rows committed after the other's read are not left for a second.
 * A batch that was not full took every row committed before its read (taken
 * once it held the lock), so the relay then sleeps until the next local
 * commit wakes it (or its poll), instead of reading an empty outbox once more
 * after every batch.
 */
export class OutboxRelay {
  private readonly loop: PollingLoop;
  private readonly batchSize: number;
  private readonly fault: OutboxRelayOptions['fault'];

  constructor(
    private readonly database: TransactionRunner,
    private readonly publisher: MessagePublisher,
    options: OutboxRelayOptions = {},
  ) {
    // Every local commit wakes the relay, so the poll only finds rows left by a process that died before
    // publishing them: it can be slow, and a fast one costs every idle service CPU (ADR 0004, BENCHMARKS.md).
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.fault = options.fault;
    this.loop = new PollingLoop(() => this.publishBatch(), {
      idleMillis: options.idleMillis ?? 1000,
      onError: options.onError,
      moreAfter: (published) => published >= this.batchSize,
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Called after a local commit staged messages, so they leave without waiting for the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Publishes one batch; returns how many messages left. Exposed for tests and shutdown drains. */
  async publishBatch(): Promise<number> {
    const publishing = this.database.transaction(async (manager) => {
      // Wait for another replica's relay to finish its batch, but not for ever: one that hangs (on the
      // broker) must not hold every other relay and their connections. set_config(…, true) is SET LOCAL.
      await manager.query(`WITH bounded AS (SELECT set_config('lock_timeout', $2, true)) SELECT pg_advisory_xact_lock($1) FROM bounded`, [RELAY_LOCK_KEY, String(LOCK_WAIT_MS)]);
      // Marked sent and published in one transaction: if the broker does not acknowledge, the transaction rolls
      // back and the rows stay unsent. One statement both takes the rows and marks them.
      const [rows]: [OutboxRow[], number] = await manager.query(
        `UPDATE outbox SET published_at = now()
          WHERE id IN (SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1)
          RETURNING id, topic, message_key, envelope, traceparent`,
        [this.batchSize],
      );
      if (rows.length === 0) return 0;
      // RETURNING keeps no order; the rows leave in the order they were staged.
      rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      if (this.fault?.at === 'after-read') this.fault.crash();
      const spans = rows.map((row) => startPublishSpan(row.topic, row.message_key, row.envelope.messageId, row.traceparent));
      try {
        await this.publisher.publish(
          rows.map((row, i) => {
            const traceparent = traceparentOf(spans[i]) ?? row.traceparent;
            return {
              topic: row.topic,
              key: row.message_key,
              value: JSON.stringify(row.envelope),
              headers: { 'message-id': row.envelope.messageId, 'message-type': row.envelope.type, ...(traceparent ? { [TRACEPARENT_HEADER]: traceparent } : {}) },
            };
          }),
        );
      } catch (error) {
        for (const span of spans) span.setStatus({ code: 2, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        for (const span of spans) span.end();
      }
      if (this.fault?.at === 'after-publish') this.fault.crash();
      return rows.length;
    });
    return publishing.catch((error: unknown) => {
      // Still locked: that relay is draining this outbox; this one looks again on its next wake or poll.
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return 0;
      throw error;
    });
  }
}
