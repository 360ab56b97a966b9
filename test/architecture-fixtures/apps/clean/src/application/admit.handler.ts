import type { SeatReply } from '@boxoffice/contracts';
import { causedBy, type CausalContext, type ConsumedMessage } from '@boxoffice/messaging';
import { admit } from '../domain/ticket.js';

/** What a use case may see: a payload, the message as a ConsumedMessage, its domain. */
export function handle(message: ConsumedMessage<SeatReply>): { cause: CausalContext; admitted: boolean } {
  return { cause: causedBy(message), admitted: admit(message.payload.outcome === 'held').ok };
}
