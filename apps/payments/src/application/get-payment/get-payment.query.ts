import { Injectable } from '@nestjs/common';
import type { PaymentIntent } from '../../domain/payment-intent/payment-intent.aggregate.js';
import { PaymentIntentRepository } from '../ports/payment-intent.repository.port.js';

@Injectable()
export class GetPaymentQuery {
  constructor(private readonly intents: PaymentIntentRepository) {}

  execute(orderId: string): Promise<PaymentIntent | undefined> {
    return this.intents.findByOrderId(orderId);
  }
}
