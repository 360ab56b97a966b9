import { Injectable } from '@nestjs/common';
import { OrderStore } from '../ports/order-store.port.js';

/**
 * Every saga step has a deadline, kept in the order's row and compared with
 * the shard's own clock: orders whose step ran out compensate or retry.
 */
@Injectable()
export class TimeOutStepsHandler {
  constructor(private readonly orders: OrderStore) {}

  async execute(batchSize = 100): Promise<number> {
    let timedOut = 0;
    for (let shard = 0; shard < this.orders.shardCount(); shard++) {
      timedOut += await this.orders.timeOutDue(shard, batchSize, (order) => order.timeOut());
    }
    return timedOut;
  }
}
