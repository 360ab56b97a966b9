import { Injectable } from '@nestjs/common';
import type { PaymentCommand } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import type { PaymentAnswer } from '../../domain/payment-intent/payment-answer.js';
import { PaymentIntent } from '../../domain/payment-intent/payment-intent.aggregate.js';
import { PaymentIntentRepository } from '../ports/payment-intent.repository.port.js';
import { recordOutcome } from '../record-outcome.js';

/**
 * Voids an order's authorization. An order with no intent yet gets a voided
 * one, so that its authorization, should it still arrive, is refused.
 */
@Injectable()
export class VoidPaymentHandler {
  constructor(private readonly intents: PaymentIntentRepository) {}

  execute(command: ConsumedMessage<Extract<PaymentCommand, { command: 'void' }>>): Promise<PaymentAnswer | 'duplicate'> {
    const { orderId } = command.payload;
    return this.intents.handleOnce(command, async (transaction) => {
      const intent = (await transaction.intentFor(orderId)) ?? PaymentIntent.voidedBeforeAuthorization(orderId);
      return recordOutcome(transaction, orderId, intent, intent.void());
    });
  }
}
