import type { EntityManager } from 'typeorm';
import { boundedTransaction } from './bounded-transaction.js';
import { CommitTimeoutError, isUnreachable } from './database-unavailable.js';
import { MIGRATIONS_TABLE } from './migrations-table.js';
import type { ShardCluster } from './shard-cluster.js';
import { WriteBatch, type BatchedWriter } from './write-batch.js';

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
  /** What this writer brings to a batch it joins (built once: every batched write uses it). */
  private readonly batched: BatchedWriter;

  constructor(
    private readonly cluster: ShardCluster,
    /** DB_WRITE_TIMEOUT_MS */
    private readonly timeoutMs: number,
    /** Whether the shard's CommitGate holds this writer back while commits stall. */
    private readonly gated = true,
  ) {
    this.batched = { cluster, timeoutMs, onFailure: (error) => this.failed(error) };
  }

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
    // Consumed messages handled as a batch share one transaction per shard (WriteBatch); gated writers only:
    // an ungated one (an outbox relay) has its own reasons to commit on its own.
    const batch = WriteBatch.current();
    if (batch && this.gated) return batch.join(this.batched, work);
    if (this.gated) this.cluster.refuseWritesWhileStalled();
    try {
      return await boundedTransaction(this.cluster.index, this.cluster.primaryDataSource(), this.timeoutMs, work);
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  /** A commit timed out (stall this shard's writes until a probe commits), or a write found the primary gone. */
  private failed(error: unknown): void {
    if (this.gated && error instanceof CommitTimeoutError) this.cluster.commits.stall(() => this.probe());
    if (isUnreachable(error)) this.cluster.primaryLost();
  }

  /**
   * A write whose commit needs a standby, past the gate: true when it
   * committed. It must write WAL: a transaction that only took an id commits
   * without waiting for any standby. Rewriting one row of the migrations
   * table (which every database of ours has, and no other code writes to)
   * changes nothing and does.
   */
  private async probe(): Promise<boolean> {
    try {
      await boundedTransaction(this.cluster.index, this.cluster.primaryDataSource(), this.timeoutMs, (manager) =>
        manager.query(`UPDATE ${MIGRATIONS_TABLE} SET timestamp = timestamp WHERE id = (SELECT min(id) FROM ${MIGRATIONS_TABLE})`),
      );
      return true;
    } catch (error) {
      if (isUnreachable(error) && !(error instanceof CommitTimeoutError)) this.cluster.primaryLost();
      return false;
    }
  }
}
