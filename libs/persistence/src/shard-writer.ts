import type { EntityManager } from 'typeorm';
import { boundedTransaction } from './bounded-transaction.js';
import { isUnreachable } from './database-unavailable.js';
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
  ) {}

  /** The same writer with another bound, for work whose transaction legitimately lasts longer (e.g. one that waits for a broker). */
  withTimeout(timeoutMs: number): ShardWriter {
    return new ShardWriter(this.cluster, timeoutMs);
  }

  get shard(): number {
    return this.cluster.index;
  }

  /** One statement in its own transaction: bounded, and following the primary, like any other write. */
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.transaction((manager) => manager.query(sql, parameters) as Promise<T>);
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const dataSource = this.cluster.primaryDataSource();
    try {
      return await boundedTransaction(this.cluster.index, dataSource, this.timeoutMs, work);
    } catch (error) {
      if (isUnreachable(error)) this.cluster.primaryLost();
      throw error;
    }
  }
}
