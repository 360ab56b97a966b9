import { Injectable } from '@nestjs/common';
import type { PaymentCommand } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import type { PaymentAnswer } from '../../domain/payment-intent/payment-answer.js';
import { PaymentIntent } from '../../domain/payment-intent/payment-intent.aggregate.js';
import { PaymentIntentRepository } from '../ports/payment-intent.repository.port.js';
import { PaymentProvider } from '../ports/payment-provider.port.js';
import { recordOutcome } from '../record-outcome.js';

/**
 * Authorizes an order's payment once. The provider is asked before the
 * transaction opens, never inside it (a slow provider must not hold locks or
 * connections), and only when the order has no intent yet. Two deliveries
 * racing both ask (the provider is idempotent by order id, so both hear the
 * same decision); the order id's primary key lets one intent in, and the
 * other command is retried and answered from that intent.
 */
@Injectable()
export class AuthorizePaymentHandler {
  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly provider: PaymentProvider,
  ) {}

  async execute(command: ConsumedMessage<Extract<PaymentCommand, { command: 'authorize' }>>): Promise<PaymentAnswer | 'duplicate'> {
    const { orderId, customerId, amount } = command.payload;
    const known = await this.intents.findByOrderId(orderId);
    const decision = known ? undefined : await this.provider.authorize({ orderId, customerId, amount });
    return this.intents.handleOnce(command, async (transaction) => {
      let intent = await transaction.intentFor(orderId);
      if (!intent) {
        // Intents are never deleted: one that was read before still exists.
        if (!decision) throw new Error(`the payment intent of order ${orderId} disappeared`);
        intent = PaymentIntent.open(orderId, { paymentId: this.intents.nextPaymentId(), customerId, amount }, decision);
      }
      return recordOutcome(transaction, orderId, intent, intent.authorize({ customerId, amount }));
    });
  }
}
