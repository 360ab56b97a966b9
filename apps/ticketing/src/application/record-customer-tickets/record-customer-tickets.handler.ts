import { Injectable } from '@nestjs/common';
import type { Envelope, PayloadOf, TicketsIssuedV1 } from '@boxoffice/contracts';
import { CustomerTickets } from '../ports/customer-tickets.port.js';

/** Reacts to ticketing's own tickets-issued event: the customer's read model catches up. */
@Injectable()
export class RecordCustomerTicketsHandler {
  constructor(private readonly customerTickets: CustomerTickets) {}

  execute(message: Envelope<PayloadOf<typeof TicketsIssuedV1>>): Promise<'recorded' | 'duplicate'> {
    return this.customerTickets.record(message);
  }
}
