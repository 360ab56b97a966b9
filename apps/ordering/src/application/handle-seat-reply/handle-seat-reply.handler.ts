import { Injectable, Logger } from '@nestjs/common';
import type { SeatReply } from '@boxoffice/contracts';
import { causedBy, type ConsumedMessage } from '@boxoffice/messaging';
import { OrderStore } from '../ports/order-store.port.js';

/** Inventory answered: the saga takes its next step. */
@Injectable()
export class HandleSeatReplyHandler {
  private readonly logger = new Logger(HandleSeatReplyHandler.name);

  constructor(private readonly orders: OrderStore) {}

  execute(message: ConsumedMessage<SeatReply>): Promise<'processed' | 'duplicate'> {
    const { orderId, showId: _showId, ...reply } = message.payload;
    return this.orders.handleOnce(orderId, message, async (orders) => {
      const order = await orders.load(orderId);
      if (!order) {
        this.logger.warn({ msg: 'seat reply for an unknown order', orderId, outcome: reply.outcome });
        return;
      }
      order.onSeatReply(reply);
      await orders.save(order, causedBy(message));
    });
  }
}
