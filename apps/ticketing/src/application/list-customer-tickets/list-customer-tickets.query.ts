import { Injectable } from '@nestjs/common';
import { CustomerTickets, type CustomerTicket } from '../ports/customer-tickets.port.js';

/** "My tickets": one shard, one indexed read; may lag the issuing by a moment. */
@Injectable()
export class ListCustomerTicketsQuery {
  constructor(private readonly customerTickets: CustomerTickets) {}

  execute(customerId: string): Promise<CustomerTicket[]> {
    return this.customerTickets.list(customerId);
  }
}
