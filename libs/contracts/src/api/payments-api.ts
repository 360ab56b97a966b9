import { z } from 'zod';
import { Money } from '../shared-schemas.js';

/** Payments' internal read API, for the gateway's admin screens and the invariant checks. */

export const PaymentView = z.object({
  orderId: z.uuid(),
  /** Null for an order voided before any authorization reached payments. */
  paymentId: z.uuid().nullable(),
  customerId: z.string().nullable(),
  amount: Money.nullable(),
  status: z.enum(['authorized', 'declined', 'captured', 'voided', 'refunded']),
  declineReason: z.string().nullable(),
  version: z.number().int(),
});
export type PaymentView = z.infer<typeof PaymentView>;

/** Signed sums in minor units: debits positive, credits negative. */
export const LedgerBalanceView = z.object({
  /** True when every currency's total is zero, as it must always be. */
  balanced: z.boolean(),
  currencies: z.array(z.object({ currency: z.string(), totalMinor: z.number().int() })),
  accounts: z.array(z.object({ account: z.string(), currency: z.string(), balanceMinor: z.number().int() })),
});
export type LedgerBalanceView = z.infer<typeof LedgerBalanceView>;
