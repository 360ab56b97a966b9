import type { TicketIdentity } from './ticket-code.value-object.js';
import type { Ticket } from './ticket.js';

export type TicketVerdict = { verdict: 'valid' | 'void'; ticket: Ticket } | { verdict: 'invalid'; reason: string };

/**
 * What the door is told about a code whose signature checked out: the
 * signature proves we issued it, the stored ticket says whether it still
 * admits anyone.
 */
export function verdictFor(claimed: TicketIdentity, stored: Ticket | undefined): TicketVerdict {
  if (!stored || stored.showId !== claimed.showId || stored.seatId !== claimed.seatId) {
    return { verdict: 'invalid', reason: 'no such ticket' };
  }
  return { verdict: stored.status, ticket: stored };
}
