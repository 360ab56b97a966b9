import type { BusinessRuleViolation } from '@boxoffice/ddd';
import type { Money } from '../money.js';

/**
 * What payments answers to a command about an order's payment. A business
 * "no" is an answer too (`declined` by the provider, `rejected` when the
 * command does not fit the payment's state), never an exception.
 */
export type PaymentAnswer =
  | { outcome: 'authorized'; orderId: string; paymentId: string; amount: Money }
  | { outcome: 'declined'; orderId: string; reason: string }
  | { outcome: 'captured'; orderId: string; paymentId: string; amount: Money }
  | { outcome: 'voided'; orderId: string; paymentId: string | null }
  | { outcome: 'refunded'; orderId: string; paymentId: string; amount: Money }
  | { outcome: 'rejected'; orderId: string; reason: string };

/** A command that does not fit the payment's state is answered with the rule it broke. */
export function rejected(orderId: string, violation: BusinessRuleViolation): PaymentAnswer {
  return { outcome: 'rejected', orderId, reason: violation.code };
}
