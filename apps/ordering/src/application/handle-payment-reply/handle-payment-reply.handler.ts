import { Injectable, Logger } from '@nestjs/common';
import type { PaymentReply } from '@boxoffice/contracts';
import { causedBy, type ConsumedMessage } from '@boxoffice/messaging';
import { OrderStore } from '../ports/order-store.port.js';

/** Payments answered: the saga takes its next step. */
@Injectable()
export class HandlePaymentReplyHandler {
  private readonly logger = new Logger(HandlePaymentReplyHandler.name);

  constructor(private readonly orders: OrderStore) {}

  execute(message: ConsumedMessage<PaymentReply>): Promise<'processed' | 'duplicate'> {
    const { orderId, ...reply } = message.payload;
    return this.orders.handleOnce(orderId, message, async (orders) => {
      const order = await orders.load(orderId);
      if (!order) {
        this.logger.warn({ msg: 'payment reply for an unknown order', orderId, outcome: reply.outcome });
        return;
      }
      order.onPaymentReply(reply);
      await orders.save(order, causedBy(message));
    });
  }
}
