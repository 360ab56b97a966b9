import { Injectable } from '@nestjs/common';
import { fail } from '@boxoffice/ddd';
import type { Envelope, PaymentCommand } from '@boxoffice/contracts';
import type { PaymentAnswer } from '../../domain/payment-intent/payment-answer.js';
import { noPaymentFor } from '../../domain/payment-intent/payment-intent.aggregate.js';
import { PaymentIntentRepository } from '../ports/payment-intent.repository.port.js';
import { recordOutcome } from '../record-outcome.js';

@Injectable()
export class CapturePaymentHandler {
  constructor(private readonly intents: PaymentIntentRepository) {}

  execute(command: Envelope<Extract<PaymentCommand, { command: 'capture' }>>): Promise<PaymentAnswer | 'duplicate'> {
    const { orderId } = command.payload;
    return this.intents.handleOnce(command, async (transaction) => {
      const intent = await transaction.intentFor(orderId);
      return recordOutcome(transaction, orderId, intent, intent ? intent.capture() : fail(noPaymentFor(orderId)));
    });
  }
}
