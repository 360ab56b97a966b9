import { Injectable } from '@nestjs/common';
import { ok, type Result } from '@boxoffice/ddd';
import type { OrderState } from '../../domain/order/order.aggregate.js';
import { OrderStore } from '../ports/order-store.port.js';

/**
 * A customer (or an admin) asks for a confirmed order's money back. The
 * order is loaded under its row lock, so a refund request and a saga reply
 * for the same order queue up instead of overwriting each other; asking
 * again is harmless. Undefined when there is no such order, or, with
 * `customerId`, when it is someone else's.
 */
@Injectable()
export class RequestRefundHandler {
  constructor(private readonly orders: OrderStore) {}

  execute(orderId: string, { customerId }: { customerId?: string } = {}): Promise<Result<OrderState & { settled: boolean }> | undefined> {
    return this.orders.change(orderId, async (orders) => {
      const order = await orders.load(orderId);
      if (!order || (customerId !== undefined && order.snapshot().customerId !== customerId)) return undefined;
      const requested = order.requestRefund();
      if (!requested.ok) return requested;
      await orders.save(order, { correlationId: orderId, causationId: null });
      return ok({ ...order.snapshot(), settled: order.isSettled });
    });
  }
}
