import { Controller, Get, Param } from '@nestjs/common';
import { CustomerIdParam, type CustomerTicketsView } from '@boxoffice/contracts';
import { Allow, CallerPrincipal, ownerScope, problem, ProblemException, ZodPipe, type Principal } from '@boxoffice/platform';
import { ListCustomerTicketsQuery } from '../../application/list-customer-tickets/list-customer-tickets.query.js';

@Controller('customers')
export class CustomerTicketsController {
  constructor(private readonly listCustomerTickets: ListCustomerTicketsQuery) {}

  /**
   * Eventually consistent: a ticket appears here a moment after it is issued. An unknown customer simply has none.
   * A customer sees only their own tickets (the principal in the caller token, not the path, says who they are); an admin anyone's.
   */
  @Get(':customerId/tickets')
  @Allow('customer', 'admin')
  async tickets(@Param('customerId', new ZodPipe(CustomerIdParam)) customerId: string, @CallerPrincipal() principal: Principal): Promise<CustomerTicketsView> {
    const owner = ownerScope(principal);
    if (owner !== undefined && owner !== customerId) {
      throw new ProblemException(problem(403, 'forbidden', 'Forbidden', { detail: "a customer sees only their own tickets" }));
    }
    return { customerId, tickets: await this.listCustomerTickets.execute(customerId) };
  }
}
