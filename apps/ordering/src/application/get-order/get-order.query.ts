import { Injectable } from '@nestjs/common';
import type { OrderState } from '../../domain/order/order.aggregate.js';
import { OrderStore } from '../ports/order-store.port.js';

@Injectable()
export class GetOrderQuery {
  constructor(private readonly orders: OrderStore) {}

  async execute(orderId: string): Promise<(OrderState & { settled: boolean }) | undefined> {
    const order = await this.orders.findById(orderId);
    return order ? { ...order.snapshot(), settled: order.isSettled } : undefined;
  }
}
