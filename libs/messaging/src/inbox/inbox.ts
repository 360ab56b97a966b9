import type { EntityManager } from 'typeorm';
import type { Envelope } from '@boxoffice/contracts';

export type InboxOutcome = 'processed' | 'duplicate';

/**
 * Anything that runs a transaction: TypeORM's DataSource, or the persistence
 * library's ShardWriter, which bounds the commit and follows the primary.
 */
export interface TransactionRunner {
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/**
 * Runs `effect` at most once per (consumer, message id): the inbox row is
 * inserted in the same transaction as the effect. A redelivered message finds
 * its row and is skipped; two concurrent deliveries serialize on the primary
 * key and the second sees a conflict. Deduplication is by message id, never by
 * offset, so it survives rebalances, replays and republished outbox rows.
 */
export async function processOnce(
  database: TransactionRunner,
  consumer: string,
  envelope: Pick<Envelope, 'messageId' | 'type'>,
  effect: (manager: EntityManager) => Promise<void>,
): Promise<InboxOutcome> {
  return database.transaction(async (manager) => {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO inbox (consumer, message_id, message_type) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING message_id`,
      [consumer, envelope.messageId, envelope.type],
    );
    if (inserted.length === 0) return 'duplicate';
    await effect(manager);
    return 'processed';
  });
}
