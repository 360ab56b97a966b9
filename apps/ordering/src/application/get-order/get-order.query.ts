import { Injectable } from '@nestjs/common';
import type { OrderState } from '../../domain/order/order.aggregate.js';
import { OrderSettlements } from '../ports/order-settlements.port.js';
import { OrderStore } from '../ports/order-store.port.js';

export type OrderReading = OrderState & { settled: boolean };

@Injectable()
export class GetOrderQuery {
  constructor(
    private readonly orders: OrderStore,
    private readonly settlements: OrderSettlements,
  ) {}

  /**
   * The order as it stands; with `waitMillis`, as soon as it is settled, or as
   * it stands after that long (a long poll: one request instead of many).
   */
  async execute(orderId: string, waitMillis = 0): Promise<OrderReading | undefined> {
    if (waitMillis <= 0) return this.read(orderId);
    const watch = this.settlements.watch(orderId);
    try {
      // A local timer, not a clock reading shared with anyone: only how long this request has waited.
      const deadline = performance.now() + waitMillis;
      let order = await this.read(orderId);
      while (order && !order.settled) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) break;
        const mayWaitMore = await watch.next(remaining);
        order = await this.read(orderId);
        if (!mayWaitMore) break;
      }
      return order;
    } finally {
      watch.close();
    }
  }

  private async read(orderId: string): Promise<OrderReading | undefined> {
    const order = await this.orders.findById(orderId);
    return order ? { ...order.snapshot(), settled: order.isSettled } : undefined;
  }
}
