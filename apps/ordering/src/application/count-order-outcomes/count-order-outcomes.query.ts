import { Injectable } from '@nestjs/common';
import { OrderStore, type OrderOutcomes } from '../ports/order-store.port.js';

/**
 * How many orders were ever placed, confirmed and rejected: counts that only
 * grow, from which a reader who looks twice derives orders per second over
 * its own clock (the operations console, docs/adr/0038).
 */
@Injectable()
export class CountOrderOutcomesQuery {
  constructor(private readonly orders: OrderStore) {}

  execute(): Promise<OrderOutcomes> {
    return this.orders.countOutcomes();
  }
}
