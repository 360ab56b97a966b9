import type { EntityManager } from 'typeorm';
import type { Envelope, EventContract } from '@boxoffice/contracts';

/**
 * Transactional outbox: a message is written in the same transaction as the
 * state change it announces, so either both happen or neither does. The relay
 * publishes it later. Call `stage` after the aggregate's row is written (and
 * so locked): two transactions on one aggregate then insert their outbox rows
 * in commit order, which keeps that aggregate's events in order.
 */
export async function stageMessage(manager: EntityManager, contract: EventContract, envelope: Envelope): Promise<void> {
  await manager.query(
    `INSERT INTO outbox (message_id, topic, message_key, envelope) VALUES ($1, $2, $3, $4)`,
    [envelope.messageId, contract.topic, envelope.aggregateId, JSON.stringify(envelope)],
  );
}
