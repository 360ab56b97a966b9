import { v7 as uuidv7 } from 'uuid';
import type { EventContract, Envelope } from '@boxoffice/contracts';
import type { DomainEvent } from '@boxoffice/ddd';

export interface MessageOrigin {
  service: string;
  instance: string;
}

export interface CausalContext {
  correlationId: string;
  causationId: string | null;
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
  const payload = contract.payload.parse(event.payload);
  return {
    messageId: uuidv7(),
    type: contract.type,
    schemaVersion: contract.version,
    aggregateId: event.aggregateId,
    aggregateVersion: event.aggregateVersion,
    correlationId: causal.correlationId,
    causationId: causal.causationId,
    producer: origin,
    producedAt: new Date().toISOString(),
    payload,
  };
}
