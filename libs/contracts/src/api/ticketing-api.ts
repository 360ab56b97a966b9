import { z } from 'zod';
import { Text } from '../shared-schemas.js';

/**
 * Ticketing's internal API: a customer's tickets (an eventually consistent
 * read model) and the check a door scanner makes on a ticket code.
 */
export const CustomerIdParam = Text.trim().min(1).max(200);

export const TicketCodeQuery = Text.trim().min(1).max(1000);

export const CustomerTicketView = z.object({
  ticketId: z.uuid(),
  orderId: z.uuid(),
  showId: z.uuid(),
  seatId: z.string(),
  code: z.string(),
});
export type CustomerTicketView = z.infer<typeof CustomerTicketView>;

export const CustomerTicketsView = z.object({ customerId: z.string(), tickets: z.array(CustomerTicketView) });
export type CustomerTicketsView = z.infer<typeof CustomerTicketsView>;

/** `invalid` never names a ticket: a forged or mangled code learns nothing. */
export const TicketVerificationView = z.discriminatedUnion('verdict', [
  z.object({
    verdict: z.enum(['valid', 'void']),
    ticket: z.object({
      ticketId: z.uuid(),
      orderId: z.uuid(),
      showId: z.uuid(),
      seatId: z.string(),
      customerId: z.string(),
      status: z.enum(['valid', 'void']),
    }),
  }),
  z.object({ verdict: z.literal('invalid'), reason: z.string() }),
]);
export type TicketVerificationView = z.infer<typeof TicketVerificationView>;
