import type { Money } from '../../domain/money.js';
import type { AuthorizationDecision } from '../../domain/payment-intent/payment-intent.aggregate.js';

export interface AuthorizationRequest {
  /** Sent to the provider as the idempotency key. */
  orderId: string;
  customerId: string;
  amount: Money;
}

/**
 * The card network behind payments. It is idempotent by order id: asking
 * again about the same order gives the same decision and never holds money
 * twice, so a retried or racing command may ask freely.
 */
export abstract class PaymentProvider {
  abstract authorize(request: AuthorizationRequest): Promise<AuthorizationDecision>;
}
