import { v7 as uuidv7 } from 'uuid';
import type { EventContract, Envelope, PayloadOf } from '@boxoffice/contracts';
import type { DomainEvent } from '@boxoffice/ddd';
import type { ConsumedMessage } from './consumed-message.js';

export interface MessageOrigin {
  service: string;
  instance: string;
}

export interface CausalContext {
  correlationId: string;
  causationId: string | null;
}

/** The causal context of whatever a message causes: same flow, caused by that message. */
export function causedBy(message: Pick<ConsumedMessage, 'messageId' | 'correlationId'>): CausalContext {
  return { correlationId: message.correlationId, causationId: message.messageId };
}

/**
 * Wraps a domain event in the shared envelope, validating the payload against
 * its contract first: a producer never emits what consumers could not read.
 */
export function envelopeFor<C extends EventContract>(
  contract: C,
  event: DomainEvent,
  origin: MessageOrigin,
  causal: CausalContext,
): Envelope {
  return messageFor(contract, event.payload as PayloadOf<C>, { id: event.aggregateId, version: event.aggregateVersion }, origin, causal);
}

/**
 * Builds a message that is not a domain event of its own aggregate, such as a
 * command or a reply in a saga: `subject` names the aggregate it is about
 * (its id is the Kafka key) and that aggregate's version.
 */
export function messageFor<C extends EventContract>(
  contract: C,
  payload: PayloadOf<C>,
  subject: { id: string; version: number },
  origin: MessageOrigin,
  causal: CausalContext,
): Envelope {
  return {
    messageId: uuidv7(),
    type: contract.type,
    schemaVersion: contract.version,
    aggregateId: subject.id,
    aggregateVersion: subject.version,
    correlationId: causal.correlationId,
    causationId: causal.causationId,
    producer: origin,
    producedAt: new Date().toISOString(),
    payload: contract.payload.parse(payload),
  };
}
