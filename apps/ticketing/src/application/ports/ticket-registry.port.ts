import type { Envelope } from '@boxoffice/contracts';
import type { ConfirmedOrder } from '../../domain/ticket/ticket-issuance.js';
import type { Ticket } from '../../domain/ticket/ticket.js';

export interface IssuedTicket extends Ticket {
  code: string;
}

export type IssueOutcome = 'issued' | 'duplicate' | 'already-issued';

/** The tickets of each show, on the show's shard. */
export abstract class TicketRegistry {
  /**
   * Stores an order's tickets and stages `ticketing.tickets-issued` in one
   * transaction, once per message and once per order: a redelivered message,
   * or a second message for an order already ticketed, changes nothing.
   */
  abstract issue(message: Envelope, order: ConfirmedOrder, tickets: IssuedTicket[]): Promise<IssueOutcome>;
  abstract find(showId: string, ticketId: string): Promise<Ticket | undefined>;
}
