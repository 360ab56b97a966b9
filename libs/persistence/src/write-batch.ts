import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager, QueryRunner } from 'typeorm';
import { discardConnection } from './bounded-transaction.js';
import { commitEffects } from './commit-effects.js';
import { CommitTimeoutError, DatabaseUnavailableError } from './database-unavailable.js';
import { withDeadline } from './deadline.js';
import type { ShardCluster } from './shard-cluster.js';

/** Thrown to whoever writes in a batch that has already failed: it is being given up, not retried. */
export class WriteBatchAbandonedError extends Error {
  constructor(cause?: unknown) {
    super('the write batch was given up; its messages are handled again one at a time', { cause });
    this.name = 'WriteBatchAbandonedError';
  }
}

/**
 * Lock waits in a batch are cut short: a batch holds its row locks until it
 * commits, so two batches may wait on each other's seats. Rather than let
 * Postgres find the deadlock (after a second), the batch gives up and its
 * messages are handled one at a time.
 */
const LOCK_TIMEOUT_MS = 200;

/** What a ShardWriter brings to a batch it joins. */
export interface BatchedWriter {
  cluster: ShardCluster;
  /** The writer's bound (DB_WRITE_TIMEOUT_MS) on each write and on the commit. */
  timeoutMs: number;
  /** The writer's own reaction to a failed write or commit (stall the shard's writes, look for the primary). */
  onFailure: (error: unknown) => void;
}

interface OpenTransaction {
  /** The writer that opened it: every writer of a shard has the same cluster and bound. */
  writer: BatchedWriter;
  runner: QueryRunner;
  /** Its connection being taken from the pool (bounded by the pool's connect timeout). */
  connecting: Promise<unknown>;
  /** Rows left to be written together just before the commit, by kind (WriteBatch.writeOrDefer). */
  deferred: Map<unknown, DeferredRows>;
}

interface DeferredRows {
  rows: unknown[];
  write: (manager: EntityManager, rows: unknown[]) => Promise<void>;
}

const current = new AsyncLocalStorage<WriteBatch>();

/**
 * Several consumed messages written in one transaction per shard: every
 * write made through a ShardWriter while the batch is current joins that
 * shard's transaction, and all of them commit together at the end (one
 * synchronous commit, one relay wake-up, for the whole batch instead of one
 * per message). All or nothing: the first write that fails fails the batch,
 * every shard's transaction is rolled back, and the caller handles the
 * messages again one at a time. Only a commit can be half done (one shard
 * committed, another not), and handling again is safe then too: each
 * message's inbox row, committed with its effect, makes the repeat a no-op.
 */
export class WriteBatch {
  private readonly open = new Map<number, OpenTransaction>();
  private readonly onCommit: (() => void)[] = [];
  private failure?: unknown;
  private ended = false;

  /**
   * The batch the caller's writes join, if any. A batch that has ended is
   * none: async work started inside one (a timer, a pool's callback) keeps
   * it as its context, and must not open a transaction nobody will commit.
   */
  static current(): WriteBatch | undefined {
    const batch = current.getStore();
    return batch?.ended ? undefined : batch;
  }

  /** Runs `work` with this batch current: writes through a ShardWriter in it join the batch. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return current.run(this, work);
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Something outside a write (a message that cannot be handled in a batch) gives the batch up. */
  fail(reason: unknown): void {
    this.failure ??= reason;
  }

  /**
   * Writes `row` by `write` at once; or, when `manager` is a batch's
   * transaction, leaves it to be written together with the batch's other rows
   * of the same `kind`, by one `write` just before the batch commits, in the
   * order they were left: one outbox INSERT for a batch instead of one per
   * message. `kind` is any key (a name, or `write` itself).
   */
  static async writeOrDefer<Row>(manager: EntityManager, kind: unknown, row: Row, write: (manager: EntityManager, rows: Row[]) => Promise<void>): Promise<void> {
    const deferred = WriteBatch.deferredRows(manager, kind, write);
    if (deferred) deferred.push(row);
    else await write(manager, [row]);
  }

  /** The batch's list of deferred rows of `kind` for the transaction on `manager`; undefined outside a batch. */
  private static deferredRows<Row>(manager: EntityManager, kind: unknown, write: (manager: EntityManager, rows: Row[]) => Promise<void>): Row[] | undefined {
    const open = WriteBatch.current()?.transactionOf(manager);
    if (!open) return undefined;
    let deferred = open.deferred.get(kind);
    if (!deferred) {
      deferred = { rows: [], write: write as DeferredRows['write'] };
      open.deferred.set(kind, deferred);
    }
    return deferred.rows as Row[];
  }

  /** The batch's transaction that `manager` works in, if it is one of them (a shard or two: no index needed). */
  private transactionOf(manager: EntityManager): OpenTransaction | undefined {
    for (const transaction of this.open.values()) if (transaction.runner.manager === manager) return transaction;
    return undefined;
  }

  /** Runs `fn` once the batch has committed (at once, outside a batch): wake-ups for what it wrote. */
  static afterCommit(fn: () => void): void {
    const batch = WriteBatch.current();
    if (batch) batch.onCommit.push(fn);
    else fn();
  }

  /**
   * A write joining the batch: runs in the shard's transaction, opened by the
   * first write to that shard, within the write bound like any other write.
   */
  async join<T>(writer: BatchedWriter, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.ended) throw new Error('a write joined a batch that has ended');
    if (this.failure !== undefined) throw new WriteBatchAbandonedError(this.failure);
    try {
      // Bounded from the start: opening the shard's transaction may hang on a primary that stopped answering.
      const attempt = (async () => {
        const open = this.open.get(writer.cluster.index) ?? (await this.begin(writer));
        // The bound may have passed while the transaction was being opened: then nothing more runs in it.
        if (this.failure !== undefined) throw new WriteBatchAbandonedError(this.failure);
        return work(open.runner.manager);
      })();
      return await withDeadline(attempt, writer.timeoutMs, () => new DatabaseUnavailableError(writer.cluster.index, `a batched write took longer than ${writer.timeoutMs} ms`));
    } catch (error) {
      // A write that found the primary gone makes the shard look for it, as one outside a batch does.
      if (!(error instanceof WriteBatchAbandonedError)) writer.onFailure(error);
      this.fail(error);
      throw error;
    }
  }

  /**
   * Writes the rows left for it (`writeOrDefer`), then commits every
   * shard's transaction, each within the write bound. True when all
   * committed; false when the batch had failed, the shard's commits stall, or
   * a deferred write or a commit did not go through (the caller then handles
   * the messages again one at a time).
   */
  async commit(): Promise<boolean> {
    this.ended = true;
    // The gate may have closed while the batch was open (another write's commit timed out): a commit
    // now would only wait for the standby that is not confirming, holding its locks meanwhile.
    for (const { writer } of this.open.values()) {
      try {
        writer.cluster.refuseWritesWhileStalled();
      } catch (refusal) {
        this.fail(refusal);
      }
    }
    if (this.failure === undefined) {
      // Every shard's deferred rows before any shard commits: a failure there gives the whole batch up.
      await Promise.all([...this.open.values()].map((open) => this.writeDeferred(open))).catch((error: unknown) => this.fail(error));
    }
    if (this.failure !== undefined) {
      await this.rollBack();
      return false;
    }
    const transactions = [...this.open.values()];
    this.open.clear();
    const outcomes = await Promise.allSettled(transactions.map((open) => this.commitOne(open)));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') {
        this.fail(outcome.reason);
        transactions[i].writer.onFailure(outcome.reason);
      }
    });
    // Wake-ups are hints: after a half commit, what did commit must not wait for the next poll.
    if (outcomes.some((outcome) => outcome.status === 'fulfilled')) this.runAfterCommit();
    return this.failure === undefined;
  }

  private runAfterCommit(): void {
    for (const fn of this.onCommit) {
      try {
        fn();
      } catch {
        // A wake-up that fails leaves the work to the next poll; the commit stands.
      }
    }
  }

  /** Why the batch was given up, if it was. */
  get failureReason(): unknown {
    return this.failure;
  }

  /** The deferred rows of one shard's transaction, within the write bound like any write. */
  private async writeDeferred(open: OpenTransaction): Promise<void> {
    const writing = (async () => {
      for (const { rows, write } of open.deferred.values()) if (rows.length > 0) await write(open.runner.manager, rows);
    })();
    try {
      const { cluster, timeoutMs } = open.writer;
      await withDeadline(writing, timeoutMs, () => new DatabaseUnavailableError(cluster.index, `a batch's deferred rows took longer than ${timeoutMs} ms`));
    } catch (error) {
      open.writer.onFailure(error);
      throw error;
    }
  }

  private async begin(writer: BatchedWriter): Promise<OpenTransaction> {
    writer.cluster.refuseWritesWhileStalled();
    const runner = writer.cluster.primaryDataSource().createQueryRunner('master');
    const open = { writer, runner, connecting: runner.connect(), deferred: new Map<unknown, DeferredRows>() };
    this.open.set(writer.cluster.index, open);
    await open.connecting;
    await runner.startTransaction();
    commitEffects.opened(runner.manager);
    await runner.query(`SET LOCAL lock_timeout = ${LOCK_TIMEOUT_MS}`);
    return open;
  }

  private async commitOne({ writer: { cluster, timeoutMs }, runner }: OpenTransaction): Promise<void> {
    // The lock timeout is for row locks; COMMIT may queue for Postgres's notification lock (a NOTIFY in the batch).
    const committing = runner.query('SET LOCAL lock_timeout = 0').then(() => runner.commitTransaction());
    // What waited for this shard's commit (afterCommit) happens once it is acknowledged, even past the
    // bound, and never when it fails: after a half commit, only the effects of what did commit.
    void committing.then(
      () => commitEffects.committed(runner.manager),
      () => commitEffects.abandoned(runner.manager),
    );
    try {
      await withDeadline(committing, timeoutMs, () => new CommitTimeoutError(cluster.index, timeoutMs));
      await runner.release();
    } catch (error) {
      // Stuck in COMMIT (no standby) or broken: never back into the pool. See boundedTransaction.
      committing.catch(() => undefined);
      await discardConnection(runner);
      throw error;
    }
  }

  /** A write that timed out (or found the shard unusable) may still be running on its connection: discarded, not rolled back. */
  private async rollBack(): Promise<void> {
    const transactions = [...this.open.values()];
    this.open.clear();
    const mayStillRun = this.failure instanceof DatabaseUnavailableError;
    await Promise.all(
      transactions.map(async ({ runner, connecting, writer: { timeoutMs } }) => {
        commitEffects.abandoned(runner.manager);
        // A connection still being taken is discarded once it is taken, or it would never go back to the pool.
        if (mayStillRun) return connecting.then(() => discardConnection(runner), () => undefined);
        try {
          const rollingBack = runner.isTransactionActive ? runner.rollbackTransaction() : Promise.resolve();
          await withDeadline(rollingBack, timeoutMs, () => new Error('rollback timed out'));
          await runner.release();
        } catch {
          await discardConnection(runner);
        }
      }),
    );
  }
}

