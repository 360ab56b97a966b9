import type { PayloadOf, TicketsIssuedV1 } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';

export interface CustomerTicket {
  ticketId: string;
  orderId: string;
  showId: string;
  seatId: string;
  code: string;
}

/**
 * The read model behind "my tickets": every ticket of a customer on the
 * customer's shard, fed by ticketing's own events, so listing them never asks
 * every show's shard.
 */
export abstract class CustomerTickets {
  /** Adds the tickets of one event, once per message. */
  abstract record(message: ConsumedMessage<PayloadOf<typeof TicketsIssuedV1>>): Promise<'recorded' | 'duplicate'>;
  /**
   * Drops a refunded order's tickets from the customer's list, once per
   * message, and remembers the refund so that tickets announced later for
   * that order are not listed either.
   */
  abstract dropRefundedOrder(message: ConsumedMessage, customerId: string, orderId: string): Promise<'dropped' | 'duplicate'>;
  abstract list(customerId: string): Promise<CustomerTicket[]>;
}
