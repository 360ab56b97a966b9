import type { EntityManager } from 'typeorm';
import { boundedTransaction } from './bounded-transaction.js';
import { CommitTimeoutError, DatabaseUnavailableError, isUnreachable } from './database-unavailable.js';
import type { ShardCluster } from './shard-cluster.js';

/**
 * Every write to a shard goes through here: a transaction on the shard's
 * current primary that commits within the write bound or fails with
 * DatabaseUnavailableError (503 over HTTP, a retry for a consumer). A write
 * that finds the primary gone, or a node that is no longer primary, makes the
 * shard look for its primary again (ShardCluster).
 *
 * It has the shape of TypeORM's `DataSource.transaction`, so anything that
 * runs a transaction (the inbox, the outbox relay) takes either.
 */
export class ShardWriter {
  constructor(
    private readonly cluster: ShardCluster,
    /** DB_WRITE_TIMEOUT_MS */
    private readonly timeoutMs: number,
    /** Whether the shard's CommitGate holds this writer back while commits stall. */
    private readonly gated = true,
  ) {}

  /**
   * The same writer with a longer bound, for work whose transaction lasts
   * longer for another reason (an outbox relay waits for the broker inside
   * it). Such work says nothing of whether commits are confirmed, so it is
   * neither held back by the commit gate nor taken as its trial.
   */
  withTimeout(timeoutMs: number): ShardWriter {
    return new ShardWriter(this.cluster, timeoutMs, false);
  }

  get shard(): number {
    return this.cluster.index;
  }

  /** One statement in its own transaction: bounded, and following the primary, like any other write. */
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.transaction((manager) => manager.query(sql, parameters) as Promise<T>);
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const gate = this.cluster.commits;
    const admission = this.gated ? gate.admit() : 'open';
    if (admission === 'refused') {
      throw new DatabaseUnavailableError(this.cluster.index, 'commits are not being confirmed (no synchronous standby?); writes are refused until a trial write commits');
    }
    try {
      const result = await boundedTransaction(this.cluster.index, this.cluster.primaryDataSource(), this.timeoutMs, work);
      if (this.gated) gate.settle(admission, 'committed');
      return result;
    } catch (error) {
      if (this.gated) {
        const timedOut = error instanceof CommitTimeoutError;
        gate.settle(admission, timedOut ? 'timed-out' : 'failed');
        // The probe takes a transaction id, so its commit waits for a standby like any other write.
        if (timedOut) this.cluster.probeWhileStalled(() => this.query('SELECT pg_current_xact_id()'));
      }
      if (isUnreachable(error)) this.cluster.primaryLost();
      throw error;
    }
  }
}
