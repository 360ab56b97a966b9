import type { DataSource, EntityManager } from 'typeorm';
import type { Envelope } from '@boxoffice/contracts';

export type InboxOutcome = 'processed' | 'duplicate';

/**
 * Runs `effect` at most once per (consumer, message id): the inbox row is
 * inserted in the same transaction as the effect. A redelivered message finds
 * its row and is skipped; two concurrent deliveries serialize on the primary
 * key and the second sees a conflict. Deduplication is by message id, never by
 * offset, so it survives rebalances, replays and republished outbox rows.
 */
export async function processOnce(
  dataSource: DataSource,
  consumer: string,
  envelope: Envelope,
  effect: (manager: EntityManager) => Promise<void>,
): Promise<InboxOutcome> {
  return dataSource.transaction(async (manager) => {
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
