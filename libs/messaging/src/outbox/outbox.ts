import type { EntityManager } from 'typeorm';
import type { Envelope, EventContract } from '@boxoffice/contracts';
import { WriteBatch } from '@boxoffice/persistence';

/**
 * Transactional outbox: a message is written in the same transaction as the
 * state change it announces, so either both happen or neither does. The relay
 * publishes it later. Call `stage` after the aggregate's row is written (and
 * so locked): two transactions on one aggregate then insert their outbox rows
 * in commit order, which keeps that aggregate's events in order.
 */
export async function stageMessage(manager: EntityManager, contract: EventContract, envelope: Envelope): Promise<void> {
  const row: OutboxRow = [envelope.messageId, contract.topic, envelope.aggregateId, JSON.stringify(envelope)];
  // In a write batch, the rows of all its messages are inserted by one statement before it commits (ADR 0015).
  // The aggregate's row lock is held until then, so its messages still take their ids in order.
  await WriteBatch.writeOrDefer(manager, 'outbox', row, insertOutboxRows);
}

type OutboxRow = [messageId: string, topic: string, key: string, envelope: string];

/** Rows take their ids in the order given. */
async function insertOutboxRows(manager: EntityManager, rows: OutboxRow[]): Promise<void> {
  await manager.query(
    `INSERT INTO outbox (message_id, topic, message_key, envelope)
     SELECT message_id, topic, message_key, envelope
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS staged (message_id, topic, message_key, envelope, n)
      ORDER BY n`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
  );
}
