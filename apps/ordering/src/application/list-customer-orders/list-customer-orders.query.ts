import { Injectable } from '@nestjs/common';
import { detailsOf, type OrderDetails } from '../get-order/get-order.query.js';
import { OrderStore } from '../ports/order-store.port.js';

/**
 * A page of one customer's orders, newest first, with their saga histories:
 * "my orders". `next` names the last order of the page when older ones
 * follow (the `after` of the next page). Undefined when `after` is not one
 * of the customer's orders.
 */
@Injectable()
export class ListCustomerOrdersQuery {
  constructor(private readonly orders: OrderStore) {}

  async execute(customerId: string, limit: number, after?: string): Promise<{ orders: OrderDetails[]; next: string | null } | undefined> {
    const page = await this.orders.findByCustomer(customerId, limit, after);
    return page && { orders: page.orders.map(detailsOf), next: page.next };
  }
}
