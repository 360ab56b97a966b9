import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PaymentProvider, type AuthorizationRequest } from '../../application/ports/payment-provider.port.js';
import type { AuthorizationDecision } from '../../domain/payment-intent/payment-intent.aggregate.js';
import type { SimulatorSettings } from './simulator-settings.js';

/** Like a card network's test cards: customers whose id starts with this are always declined. */
export const DECLINED_TEST_CUSTOMER_PREFIX = 'decline';

/**
 * Where an order falls in [0, 1): the first 4 bytes of SHA-256 of its id.
 * The same order always lands on the same spot, so asking again always gets
 * the same decision; different orders spread evenly.
 */
export function declineScore(orderId: string): number {
  return createHash('sha256').update(orderId).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Stands in for the card network. Deterministic, so it is idempotent by
 * order id the way a real provider is by idempotency key: an order is
 * declined when its score falls below the decline rate, or when its customer
 * is a test customer made to be declined. It holds no state of its own.
 */
export class SimulatedPaymentProvider extends PaymentProvider {
  constructor(private readonly settings: SimulatorSettings) {
    super();
  }

  async authorize(request: AuthorizationRequest): Promise<AuthorizationDecision> {
    if (this.settings.latencyMs > 0) await sleep(this.settings.latencyMs);
    if (request.customerId.startsWith(DECLINED_TEST_CUSTOMER_PREFIX)) return { approved: false, reason: 'test-customer-declined' };
    if (declineScore(request.orderId) < this.settings.declineRate) return { approved: false, reason: 'insufficient-funds' };
    return { approved: true };
  }
}
