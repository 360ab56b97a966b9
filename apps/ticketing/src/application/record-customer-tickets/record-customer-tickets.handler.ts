import { Injectable } from '@nestjs/common';
import type { PayloadOf, TicketsIssuedV1 } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import { CustomerTickets } from '../ports/customer-tickets.port.js';

/** Reacts to ticketing's own tickets-issued event: the customer's read model catches up. */
@Injectable()
export class RecordCustomerTicketsHandler {
  constructor(private readonly customerTickets: CustomerTickets) {}

  execute(message: ConsumedMessage<PayloadOf<typeof TicketsIssuedV1>>): Promise<'recorded' | 'duplicate'> {
    return this.customerTickets.record(message);
  }
}
