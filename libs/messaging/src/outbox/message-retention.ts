import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TransactionRunner } from '../inbox/inbox.js';

export interface MessageRetention {
  /** How long a published outbox row is kept (replays, audits, the benchmark's step profile). */
  publishedOutboxSeconds: number;
  /**
   * How long an inbox row is kept. It must outlast any redelivery: a message
   * can come again for as long as its topic keeps it (7 days by default), so
   * the default is 8 days.
   */
  inboxSeconds: number;
}

export const DEFAULT_MESSAGE_RETENTION: MessageRetention = { publishedOutboxSeconds: 3600, inboxSeconds: 8 * 86_400 };

/**
 * Deletes, in one transaction, up to `batchSize` published outbox rows and
 * `batchSize` inbox rows past their retention, and returns how many went.
 * Unpublished outbox rows are never touched, however old. SKIP LOCKED lets
 * every replica prune side by side.
 */
export async function pruneMessages(database: TransactionRunner, retention: MessageRetention, batchSize = 1000): Promise<number> {
  return database.transaction(async (manager) => {
    // A DELETE answers [rows, affected count].
    const [, outbox]: [unknown[], number] = await manager.query(
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE published_at < now() - make_interval(secs => $1)
         ORDER BY published_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [retention.publishedOutboxSeconds, batchSize],
    );
    const [, inbox]: [unknown[], number] = await manager.query(
      `DELETE FROM inbox WHERE (consumer, message_id) IN (
         SELECT consumer, message_id FROM inbox WHERE processed_at < now() - make_interval(secs => $1)
         ORDER BY processed_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [retention.inboxSeconds, batchSize],
    );
    return outbox + inbox;
  });
}

/** Lets pruning find old rows without reading the whole tables. */
export class MessageRetentionIndexes1764000000100 implements MigrationInterface {
  name = 'MessageRetentionIndexes1764000000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL`);
    await runner.query(`CREATE INDEX inbox_processed_at ON inbox (processed_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX inbox_processed_at`);
    await runner.query(`DROP INDEX outbox_published_at`);
  }
}
