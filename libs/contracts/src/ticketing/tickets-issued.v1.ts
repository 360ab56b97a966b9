import { z } from 'zod';
import { defineEvent } from '../event-contract.js';
import { Text } from '../shared-schemas.js';

export const TicketsIssuedV1 = defineEvent(
  'ticketing.tickets-issued',
  1,
  z.object({
    orderId: z.uuid(),
    customerId: Text,
    showId: z.uuid(),
    tickets: z.array(z.object({ ticketId: z.uuid(), seatId: Text, code: Text })).min(1),
  }),
);
