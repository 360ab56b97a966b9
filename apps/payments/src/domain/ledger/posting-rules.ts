import type { DomainEvent } from '@boxoffice/ddd';
import type { Money } from '../money.js';
import {
  PAYMENT_AUTHORIZED,
  PAYMENT_CAPTURED,
  PAYMENT_REFUNDED,
  PAYMENT_VOIDED,
  type PaymentMoneyMoved,
} from '../payment-intent/payment-intent.aggregate.js';
import { LedgerAccounts as A } from './ledger-account.js';
import { LedgerTransaction, transfer, type LedgerEntry, type LedgerTransactionKind } from './ledger-transaction.js';

/**
 * How each money movement of a payment is booked:
 * - authorization: the amount is held (customer-holds ↔ merchant-holds);
 * - capture: the hold is released and the sale booked (customer-receivable ↔ merchant-revenue);
 * - void: the hold is released;
 * - refund: the sale is reversed.
 * So an order's holds are back to zero once it is captured or voided, and its
 * revenue is zero again once it is refunded.
 */
const RULES: Record<string, { kind: LedgerTransactionKind; entries: (amount: Money) => LedgerEntry[] }> = {
  [PAYMENT_AUTHORIZED]: { kind: 'authorization', entries: (amount) => transfer(A.customerHolds, A.merchantHolds, amount) },
  [PAYMENT_CAPTURED]: {
    kind: 'capture',
    entries: (amount) => [...transfer(A.merchantHolds, A.customerHolds, amount), ...transfer(A.customerReceivable, A.merchantRevenue, amount)],
  },
  [PAYMENT_VOIDED]: { kind: 'void', entries: (amount) => transfer(A.merchantHolds, A.customerHolds, amount) },
  [PAYMENT_REFUNDED]: { kind: 'refund', entries: (amount) => transfer(A.merchantRevenue, A.customerReceivable, amount) },
};

/** The ledger transaction a payment event posts, if it moves money at all. */
export function ledgerTransactionFor(event: DomainEvent): LedgerTransaction | undefined {
  const rule = RULES[event.type];
  if (!rule) return undefined;
  const { orderId, paymentId, amount } = event.payload as PaymentMoneyMoved;
  // A free order authorizes and captures nothing: there is no movement to book.
  if (amount.amountMinor === 0) return undefined;
  const transaction = LedgerTransaction.record({ kind: rule.kind, orderId, paymentId, entries: rule.entries(amount) });
  if (!transaction.ok) throw new Error(`posting rule for ${rule.kind} is broken: ${transaction.error.message}`);
  return transaction.value;
}
