import { fail, ok, violation, type Result } from '@boxoffice/ddd';
import type { Money, Ticket } from './ticket.js';

/** What ticketing learns from a confirmed order: who bought which seats of which show. */
export interface ConfirmedOrder {
  orderId: string;
  customerId: string;
  showId: string;
  seats: { seatId: string; price: Money }[];
}

/**
 * Exactly one valid ticket per sold seat. An order that names a seat twice
 * would hand out two tickets for one chair, so it is refused whole (the
 * database refuses a second valid ticket for a seat too, across orders).
 */
export function ticketsFor(order: ConfirmedOrder, nextTicketId: () => string): Result<Ticket[]> {
  if (order.seats.length === 0) return fail(violation('no-seats', `order ${order.orderId} has no seats`));
  const seatIds = new Set(order.seats.map((seat) => seat.seatId));
  if (seatIds.size !== order.seats.length) return fail(violation('seat-named-twice', `order ${order.orderId} names a seat twice`));
  return ok(
    order.seats.map((seat) => ({
      ticketId: nextTicketId(),
      orderId: order.orderId,
      showId: order.showId,
      seatId: seat.seatId,
      customerId: order.customerId,
      price: { ...seat.price },
      status: 'valid',
    })),
  );
}
