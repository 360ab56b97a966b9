import type { EntityManager } from 'typeorm';
import type { Envelope, EventContract } from '@boxoffice/contracts';
import { currentTraceparent } from '@boxoffice/observability';
import { WriteBatch } from '@boxoffice/persistence';

/**
 * Transactional outbox: a message is written in the same transaction as the
 * state change it announces, so either both happen or neither does. The relay
 * publishes it later. Call `stage` after the aggregate's row is written (and
 * so locked): two transactions on one aggregate then insert their outbox rows
 * in commit order, which keeps that aggregate's events in order.
 * The row keeps the `traceparent` of the trace it is staged in, so that the
 * relay publishes the message as a hop of that trace (ADR 0034).
 */
export async function stageMessage(manager: EntityManager, contract: EventContract, envelope: Envelope): Promise<void> {
  const row: OutboxRow = [envelope.messageId, contract.topic, envelope.aggregateId, JSON.stringify(envelope), currentTraceparent()];
  // In a write batch, the rows of all its messages are inserted by one statement before it commits (ADR 0015).
  // The aggregate's row lock is held until then, so its messages still take their ids in order.
  await WriteBatch.writeOrDefer(manager, 'outbox', row, insertOutboxRows);
}

type OutboxRow = [messageId: string, topic: string, key: string, envelope: string, traceparent: string | null];

/** Rows take their ids in the order given. */
async function insertOutboxRows(manager: EntityManager, rows: OutboxRow[]): Promise<void> {
  await manager.query(
    `INSERT INTO outbox (message_id, topic, message_key, envelope, traceparent)
     SELECT message_id, topic, message_key, envelope, traceparent
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::text[]) WITH ORDINALITY AS staged (message_id, topic, message_key, envelope, traceparent, n)
      ORDER BY n`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[4])],
  );
}
