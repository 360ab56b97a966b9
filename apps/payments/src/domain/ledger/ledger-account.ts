/**
 * The ledger's accounts. Amounts are signed: a debit is positive and a credit
 * negative, so every transaction, and so the whole ledger, sums to zero per
 * currency.
 */
export const LedgerAccounts = {
  /** Money reserved on customers' cards by open authorizations (a debit balance). */
  customerHolds: 'customer-holds',
  /** The merchant's claim on those reservations: the other side of every hold (a credit balance). */
  merchantHolds: 'merchant-holds',
  /** Captured money due from the customers' card issuers (a debit balance). */
  customerReceivable: 'customer-receivable',
  /** What the merchant has earned, net of refunds (a credit balance). */
  merchantRevenue: 'merchant-revenue',
} as const;

export type LedgerAccount = (typeof LedgerAccounts)[keyof typeof LedgerAccounts];
