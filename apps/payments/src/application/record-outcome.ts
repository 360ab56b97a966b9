import type { Result } from '@boxoffice/ddd';
import { ledgerTransactionFor } from '../domain/ledger/posting-rules.js';
import { rejected, type PaymentAnswer } from '../domain/payment-intent/payment-answer.js';
import type { PaymentIntent } from '../domain/payment-intent/payment-intent.aggregate.js';
import type { PaymentCommandTransaction } from './ports/payment-intent.repository.port.js';

/**
 * The last step of every payment command, in its transaction: stores what
 * the command changed, books the money it moved, and stages the answer. A
 * command that changed nothing (a repeat, or one that does not fit the
 * state) stores and books nothing and is only answered.
 */
export async function recordOutcome(
  transaction: PaymentCommandTransaction,
  orderId: string,
  intent: PaymentIntent | undefined,
  outcome: Result<PaymentAnswer>,
): Promise<PaymentAnswer> {
  const answer = outcome.ok ? outcome.value : rejected(orderId, outcome.error);
  if (intent?.hasChanges) {
    await transaction.save(intent);
    for (const event of intent.pullEvents()) {
      const movement = ledgerTransactionFor(event);
      if (movement) await transaction.post(movement);
    }
  }
  await transaction.reply(answer, intent?.version ?? 0);
  return answer;
}
