export interface LedgerBalance {
  /** The sum of every entry per currency: zero, always, in a sound ledger. */
  currencies: { currency: string; totalMinor: number }[];
  /** Each account's balance per currency (debits positive, credits negative). */
  accounts: { account: string; currency: string; balanceMinor: number }[];
}

export abstract class LedgerRepository {
  /** Both sums are taken from one snapshot of the ledger. */
  abstract balance(): Promise<LedgerBalance>;
}
