import type { ConsumedMessage } from '@boxoffice/messaging';
import type { ConfirmedOrder } from '../../domain/ticket/ticket-issuance.js';
import type { Ticket } from '../../domain/ticket/ticket.js';

export interface IssuedTicket extends Ticket {
  code: string;
}

export type IssueOutcome = 'issued' | 'duplicate' | 'already-issued';

/** Who a refunded order belonged to, as far as its tickets go. */
export interface RefundedOrder {
  orderId: string;
  customerId: string;
  showId: string;
}

/** The tickets of each show, on the show's shard. */
export abstract class TicketRegistry {
  /**
   * Stores an order's tickets and stages `ticketing.tickets-issued` in one
   * transaction, once per message and once per order: a redelivered message,
   * or a second message for an order already ticketed, changes nothing.
   */
  abstract issue(message: ConsumedMessage, order: ConfirmedOrder, tickets: IssuedTicket[]): Promise<IssueOutcome>;
  /**
   * Voids the order's tickets, once per message; returns how many were
   * valid. An order not ticketed yet is claimed as refunded, so its
   * confirmation, if it arrives later, issues nothing.
   */
  abstract voidOrder(message: ConsumedMessage, order: RefundedOrder): Promise<{ outcome: 'processed' | 'duplicate'; voided: number }>;
  abstract find(showId: string, ticketId: string): Promise<Ticket | undefined>;
}
