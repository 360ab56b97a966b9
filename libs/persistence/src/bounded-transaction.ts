import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { inChildSpan } from '@boxoffice/observability';
import { commitEffects } from './commit-effects.js';
import { CommitTimeoutError, DatabaseUnavailableError, isUnreachable } from './database-unavailable.js';
import { withDeadline } from './deadline.js';

/**
 * A transaction that commits within `timeoutMs` or fails with
 * DatabaseUnavailableError. On a CP database a COMMIT waits for a synchronous
 * standby to confirm, and with none connected it waits forever:
 * `statement_timeout` does not end that wait. So the bound is kept here, in
 * the application. On timeout the connection is destroyed, never returned to
 * the pool (it is stuck in COMMIT). The server session goes on waiting: the
 * transaction either becomes visible once a standby confirms it, or (the
 * primary lost) never happened or is recovered with the primary's WAL.
 * Callers must make their writes idempotent, so that the client's retry is
 * right in every one of those outcomes.
 *
 * Within a trace the transaction is a span (`transaction`, with the shard),
 * the parent of its queries' spans.
 */
export function boundedTransaction<T>(
  shard: number,
  dataSource: DataSource,
  timeoutMs: number,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const attributes = { 'db.system.name': 'postgresql', 'db.namespace': dataSource.driver.database ?? '', 'boxoffice.shard': shard };
  return inChildSpan('transaction', { attributes }, () => runBounded(shard, dataSource, timeoutMs, work));
}

async function runBounded<T>(shard: number, dataSource: DataSource, timeoutMs: number, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner('master');
  let timedOut = false;
  const connecting = runner.connect();
  const attempt = (async () => {
    await connecting;
    if (timedOut) return undefined as T;
    await runner.startTransaction();
    commitEffects.opened(runner.manager);
    try {
      const result = await work(runner.manager);
      await runner.commitTransaction();
      // Acknowledged, even past the bound: what waited for this commit (afterCommit) happens now.
      commitEffects.committed(runner.manager);
      return result;
    } catch (error) {
      commitEffects.abandoned(runner.manager);
      if (!timedOut && runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  })();
  try {
    return await withDeadline(attempt, timeoutMs, () => {
      timedOut = true;
      return new CommitTimeoutError(shard, timeoutMs);
    });
  } catch (error) {
    if (isUnreachable(error) && !(error instanceof DatabaseUnavailableError)) {
      throw new DatabaseUnavailableError(shard, 'the primary could not be reached or is no longer the primary', { cause: error });
    }
    throw error;
  } finally {
    if (timedOut) {
      // The abandoned attempt ends with "Connection terminated" once its connection is destroyed; nobody waits for it.
      attempt.catch(() => undefined);
      void connecting.then(() => discardConnection(runner), () => undefined);
    } else {
      await runner.release();
    }
  }
}

/**
 * Hands the connection back to the pool with an error, which makes the pool
 * close it instead of reusing it. TypeORM keeps that variant of release private.
 * A connection being thrown away has nothing more to report: a failure here
 * must not replace the error that made the caller give it up.
 */
export function discardConnection(runner: QueryRunner): Promise<void> {
  return (runner as unknown as { releasePostgresConnection(error: Error): Promise<void> })
    .releasePostgresConnection(new Error('connection discarded: a write on it timed out or failed'))
    .catch(() => undefined);
}
