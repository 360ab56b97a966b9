import { fail, ok, violation, type Result } from '@boxoffice/ddd';
import type { Money } from '../money.js';
import type { LedgerAccount } from './ledger-account.js';

export type LedgerTransactionKind = 'authorization' | 'capture' | 'void' | 'refund';

export interface LedgerEntry {
  account: LedgerAccount;
  currency: string;
  /** Minor units; positive is a debit, negative a credit. */
  amountMinor: number;
}

/** Debits one account and credits another with the same amount: the smallest balanced movement. */
export function transfer(debit: LedgerAccount, credit: LedgerAccount, amount: Money): LedgerEntry[] {
  return [
    { account: debit, currency: amount.currency, amountMinor: amount.amountMinor },
    { account: credit, currency: amount.currency, amountMinor: -amount.amountMinor },
  ];
}

/** The sum of the entries per currency; a balanced set has only zeros. */
export function sumsByCurrency(entries: readonly LedgerEntry[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const entry of entries) sums.set(entry.currency, (sums.get(entry.currency) ?? 0) + entry.amountMinor);
  return sums;
}

/**
 * One money movement of one payment, as double-entry bookkeeping: entries
 * that sum to zero in every currency. It cannot be built unbalanced; the
 * database checks the same rule again when it is stored.
 */
export class LedgerTransaction {
  private constructor(
    readonly kind: LedgerTransactionKind,
    readonly orderId: string,
    readonly paymentId: string,
    readonly entries: readonly LedgerEntry[],
  ) {}

  static record(props: { kind: LedgerTransactionKind; orderId: string; paymentId: string; entries: LedgerEntry[] }): Result<LedgerTransaction> {
    if (props.entries.length < 2) return fail(violation('ledger-too-few-entries', 'a ledger transaction needs at least two entries'));
    for (const entry of props.entries) {
      if (!Number.isSafeInteger(entry.amountMinor) || entry.amountMinor === 0) {
        return fail(violation('ledger-invalid-amount', `${entry.account}: ${entry.amountMinor} is not a non-zero whole number of minor units`));
      }
      if (!/^[A-Z]{3}$/.test(entry.currency)) return fail(violation('ledger-invalid-currency', `${entry.account}: ${entry.currency} is not an ISO currency code`));
    }
    const unbalanced = [...sumsByCurrency(props.entries)].filter(([, sum]) => sum !== 0);
    if (unbalanced.length > 0) {
      return fail(violation('ledger-unbalanced', `entries do not sum to zero: ${unbalanced.map(([currency, sum]) => `${currency} ${sum}`).join(', ')}`));
    }
    return ok(new LedgerTransaction(props.kind, props.orderId, props.paymentId, props.entries.map((entry) => ({ ...entry }))));
  }
}
