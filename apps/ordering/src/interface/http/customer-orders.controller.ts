import { Controller, Get, Param, Query } from '@nestjs/common';
import { CustomerIdParam, CustomerOrdersLimit, DEFAULT_CUSTOMER_ORDERS, IdParam, type CustomerOrdersView } from '@boxoffice/contracts';
import { Allow, CallerPrincipal, ownerScope, problem, ProblemException, ZodPipe, type Principal } from '@boxoffice/platform';
import { ListCustomerOrdersQuery } from '../../application/list-customer-orders/list-customer-orders.query.js';
import { toDetailsView } from './orders.controller.js';

/** A customer's orders: "my orders" of the storefront, through the gateway's `GET /me/orders`. */
@Controller('customers')
export class CustomerOrdersController {
  constructor(private readonly listCustomerOrders: ListCustomerOrdersQuery) {}

  /**
   * Newest first, a page at a time (`limit`, 20 unless asked, at most 100;
   * `after`: the `next` of the page before). A customer sees only their own
   * orders (the principal in the caller token, not the path, says who they
   * are); an admin anyone's. An unknown customer simply has none; an `after`
   * that is not one of the customer's orders is a 404.
   */
  @Get(':customerId/orders')
  @Allow('customer', 'admin')
  async list(
    @Param('customerId', new ZodPipe(CustomerIdParam)) customerId: string,
    @Query('limit', new ZodPipe(CustomerOrdersLimit)) limit: number | undefined,
    @Query('after', new ZodPipe(IdParam.optional())) after: string | undefined,
    @CallerPrincipal() principal: Principal,
  ): Promise<CustomerOrdersView> {
    const owner = ownerScope(principal);
    if (owner !== undefined && owner !== customerId) {
      throw new ProblemException(problem(403, 'forbidden', 'Forbidden', { detail: 'a customer sees only their own orders' }));
    }
    const page = await this.listCustomerOrders.execute(customerId, limit ?? DEFAULT_CUSTOMER_ORDERS, after);
    if (!page) throw ProblemException.notFound('Order', `no order with id ${after} among this customer's orders`);
    return { customerId, orders: page.orders.map(toDetailsView), next: page.next };
  }
}
