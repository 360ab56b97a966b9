import type { EntityManager } from 'typeorm';
import { commitEffects } from './commit-effects.js';
import { WriteBatch } from './write-batch.js';

/**
 * What a context's adapter needs to take part in batched writes
 * (WriteBatch, ADR 0015) without knowing about them. Outside a batch both
 * write at once; inside one, every message's rows wait for one statement
 * just before the batch commits.
 */

/**
 * Writes `row` through `writeRows`, a function that writes many rows in one
 * statement: now, or, when the transaction on `manager` is a batch's,
 * together with the batch's other rows for `writeRows`, in the order they came.
 */
export function writeRow<Row>(manager: EntityManager, row: Row, writeRows: (manager: EntityManager, rows: Row[]) => Promise<void>): Promise<void> {
  return WriteBatch.writeOrDefer(manager, writeRows, row, writeRows);
}

const notifiers = new Map<string, (manager: EntityManager, payloads: string[]) => Promise<void>>();

/**
 * Sends a Postgres NOTIFY on `channel` with `payload` when the transaction on
 * `manager` commits (never if it rolls back); a batch sends all of a
 * channel's notifications with one statement.
 */
export function notifyOnCommit(manager: EntityManager, channel: string, payload: string): Promise<void> {
  let notify = notifiers.get(channel);
  if (!notify) {
    notify = async (on, payloads) => {
      await on.query(`SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload`, [channel, payloads]);
    };
    notifiers.set(channel, notify);
  }
  return writeRow(manager, payload, notify);
}

/**
 * Runs `effect` (a side effect outside the database, such as a metric) once
 * the transaction on `manager` has committed: the batch's transaction on that
 * shard when the current message is handled in a batch, else the
 * transaction of its own. Never when that transaction rolls back or its
 * commit fails, so a change that is redone after a failed commit has its
 * effect once, when the redo commits; and after a batch's half commit, only
 * the shards that committed have theirs. `manager` is the one a ShardWriter's
 * transaction gave its work.
 */
export function afterCommit(manager: EntityManager, effect: () => void): void {
  commitEffects.add(manager, effect);
}
