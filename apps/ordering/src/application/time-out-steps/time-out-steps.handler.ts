import { Injectable } from '@nestjs/common';
import { OrderStore } from '../ports/order-store.port.js';
import { ReplyBacklog } from '../ports/reply-backlog.port.js';

/**
 * Every saga step has a deadline, kept in the order's row and compared with
 * the shard's own clock: orders whose step ran out compensate or retry.
 *
 * A deadline says that nobody answered in time, so it is trusted only once
 * ordering has read every reply already on the broker: after an outage of
 * ordering (or of its consumers, or a rebalance), the answers that came
 * meanwhile are handled first, and a step answered in time never times out
 * because ordering was not there to read the answer (docs/saga.md, ADR 0040).
 */
@Injectable()
export class TimeOutStepsHandler {
  constructor(
    private readonly orders: OrderStore,
    private readonly replies: ReplyBacklog,
  ) {}

  async execute(batchSize = 100): Promise<number> {
    if (!(await this.replies.readUpToNow())) return 0;
    return this.orders.timeOutDue(batchSize, (order) => order.timeOut());
  }
}
