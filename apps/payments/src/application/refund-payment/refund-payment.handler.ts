import { Injectable } from '@nestjs/common';
import type { PaymentCommand } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import type { PaymentAnswer } from '../../domain/payment-intent/payment-answer.js';
import { actOnExistingIntent } from '../act-on-existing-intent.js';
import { PaymentIntentRepository } from '../ports/payment-intent.repository.port.js';

/** Refunds an order's captured payment; an order with no payment is rejected `no-payment`. */
@Injectable()
export class RefundPaymentHandler {
  constructor(private readonly intents: PaymentIntentRepository) {}

  execute(command: ConsumedMessage<Extract<PaymentCommand, { command: 'refund' }>>): Promise<PaymentAnswer | 'duplicate'> {
    return actOnExistingIntent(this.intents, command, (intent) => intent.refund());
  }
}
