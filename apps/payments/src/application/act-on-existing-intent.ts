import { fail, type Result } from '@boxoffice/ddd';
import type { PaymentCommand } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import type { PaymentAnswer } from '../domain/payment-intent/payment-answer.js';
import { noPaymentFor, type PaymentIntent } from '../domain/payment-intent/payment-intent.aggregate.js';
import type { PaymentIntentRepository } from './ports/payment-intent.repository.port.js';
import { recordOutcome } from './record-outcome.js';

/**
 * The whole of a command that acts on the payment an order already has
 * (capture, refund): once per message, the intent decides, and an order
 * without one is rejected `no-payment`.
 */
export function actOnExistingIntent(
  intents: PaymentIntentRepository,
  command: ConsumedMessage<PaymentCommand>,
  act: (intent: PaymentIntent) => Result<PaymentAnswer>,
): Promise<PaymentAnswer | 'duplicate'> {
  const { orderId } = command.payload;
  return intents.handleOnce(command, async (transaction) => {
    const intent = await transaction.intentFor(orderId);
    return recordOutcome(transaction, orderId, intent, intent ? act(intent) : fail(noPaymentFor(orderId)));
  });
}
