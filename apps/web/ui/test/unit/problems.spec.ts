import { describe, expect, it } from '@jest/globals';
import { rejectionMessage } from '../../src/app/problems';

/**
 * Checked with the pages' own compiler settings (apps/web/ui/tsconfig.json).
 * Every reason ordering gives a rejected order (`rejectionReason`, set in
 * apps/ordering/src/domain/order/order.aggregate.ts from inventory's and
 * payments' replies) is said in a buyer's words, never as the bare code.
 */
const REASONS = ['seats-unavailable', 'unknown-seats', 'show-not-on-sale', 'show-cancelled', 'seat-hold-expired', 'seat-hold-timeout', 'payment-timeout', 'payment-declined: insufficient-funds'];

describe('why an order was rejected, as the storefront says it', () => {
  it.each(REASONS)('says %s in words', (reason) => {
    const message = rejectionMessage(reason);
    expect(message).not.toContain(reason.split(':')[0]);
    expect(message).not.toMatch(/^The order was rejected/);
  });

  it('tells a buyer whose seats were held too long, or whose payment never answered, that nothing was taken and to try again', () => {
    expect(rejectionMessage('seat-hold-expired')).toBe('Your seats were held too long and were released. Please try again.');
    expect(rejectionMessage('payment-timeout')).toBe('The payment did not go through in time. No money was taken and the seats were released. Please try again.');
  });
});
