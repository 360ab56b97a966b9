import { z } from 'zod';
import { defineEvent } from '../event-contract.js';

export const TicketsIssuedV1 = defineEvent(
  'ticketing.tickets-issued',
  1,
  z.object({
    orderId: z.uuid(),
    customerId: z.string(),
    showId: z.uuid(),
    tickets: z.array(z.object({ ticketId: z.uuid(), seatId: z.string(), code: z.string() })).min(1),
  }),
);
