import { Injectable } from '@nestjs/common';
import type { OrderReading } from '../get-order/get-order.query.js';
import { OrderStore } from '../ports/order-store.port.js';

/** A show's orders with their state, oldest first, for an admin; `truncated` when there are more than `limit`. */
@Injectable()
export class ListShowOrdersQuery {
  constructor(private readonly orders: OrderStore) {}

  async execute(showId: string, limit: number): Promise<{ orders: OrderReading[]; truncated: boolean }> {
    const found = await this.orders.findByShow(showId, limit + 1);
    return {
      orders: found.slice(0, limit).map((order) => ({ ...order.snapshot(), settled: order.isSettled })),
      truncated: found.length > limit,
    };
  }
}
