export type TicketStatus = 'valid' | 'void';

export interface Money {
  amountMinor: number;
  currency: string;
}

/** The right to sit in one seat at one show, held by the customer who bought it. */
export interface Ticket {
  ticketId: string;
  orderId: string;
  showId: string;
  seatId: string;
  customerId: string;
  price: Money;
  status: TicketStatus;
}
