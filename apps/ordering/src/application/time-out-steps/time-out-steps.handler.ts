import { Injectable } from '@nestjs/common';
import { OrderStore } from '../ports/order-store.port.js';

/**
 * Every saga step has a deadline, kept in the order's row and compared with
 * the shard's own clock: orders whose step ran out compensate or retry.
 */
@Injectable()
export class TimeOutStepsHandler {
  constructor(private readonly orders: OrderStore) {}

  execute(batchSize = 100): Promise<number> {
    return this.orders.timeOutDue(batchSize, (order) => order.timeOut());
  }
}
