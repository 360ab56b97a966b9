import { Controller, Get, Param } from '@nestjs/common';
import { CustomerIdParam, type CustomerTicketsView } from '@boxoffice/contracts';
import { ZodPipe } from '@boxoffice/platform';
import { ListCustomerTicketsQuery } from '../../application/list-customer-tickets/list-customer-tickets.query.js';

@Controller('customers')
export class CustomerTicketsController {
  constructor(private readonly listCustomerTickets: ListCustomerTicketsQuery) {}

  /** Eventually consistent: a ticket appears here a moment after it is issued. An unknown customer simply has none. */
  @Get(':customerId/tickets')
  async tickets(@Param('customerId', new ZodPipe(CustomerIdParam)) customerId: string): Promise<CustomerTicketsView> {
    return { customerId, tickets: await this.listCustomerTickets.execute(customerId) };
  }
}
