import { Injectable } from '@nestjs/common';
import { LedgerRepository, type LedgerBalance } from '../ports/ledger.repository.port.js';

@Injectable()
export class GetLedgerBalanceQuery {
  constructor(private readonly ledger: LedgerRepository) {}

  /** The balances, and whether the ledger sums to zero in every currency (it must). */
  async execute(): Promise<LedgerBalance & { balanced: boolean }> {
    const balance = await this.ledger.balance();
    return { balanced: balance.currencies.every((c) => c.totalMinor === 0), ...balance };
  }
}
