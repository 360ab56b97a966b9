import { Injectable } from '@nestjs/common';
import type { OrderState } from '../../domain/order/order.aggregate.js';
import { OrderSettlements } from '../ports/order-settlements.port.js';
import { OrderStore, type PassedStep, type StoredOrder } from '../ports/order-store.port.js';

export type OrderReading = OrderState & { settled: boolean };

/** An order as it is read: its state, when it was placed and the saga steps it passed. */
export type OrderDetails = OrderReading & { placedAt: Date; history: PassedStep[]; traceId: string | null };

export function detailsOf({ order, placedAt, history, traceId }: StoredOrder): OrderDetails {
  return { ...order.snapshot(), settled: order.isSettled, placedAt, history, traceId };
}

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
  async execute(orderId: string, waitMillis = 0, { customerId }: { customerId?: string } = {}): Promise<OrderDetails | undefined> {
    if (waitMillis <= 0) return this.readAs(orderId, customerId);
    const watch = this.settlements.watch(orderId);
    try {
      // A local timer, not a clock reading shared with anyone: only how long this request has waited.
      const deadline = performance.now() + waitMillis;
      // Someone else's order is answered at once, as an unknown one is: waiting would tell that it exists.
      let order = await this.readAs(orderId, customerId);
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

  /** The order, unless `customerId` is given and it is someone else's. */
  private async readAs(orderId: string, customerId: string | undefined): Promise<OrderDetails | undefined> {
    const order = await this.read(orderId);
    return order && (customerId === undefined || order.customerId === customerId) ? order : undefined;
  }

  private async read(orderId: string): Promise<OrderDetails | undefined> {
    const stored = await this.orders.findById(orderId);
    return stored ? detailsOf(stored) : undefined;
  }
}
