import { Injectable } from '@nestjs/common';
import { ShardRouter } from '@boxoffice/persistence';
import { LedgerRepository, type LedgerBalance } from '../../application/ports/ledger.repository.port.js';

interface SumRow {
  currency: string;
  /** Null on the per-currency total rows of the grouping sets. */
  account: string | null;
  total: string;
}

@Injectable()
export class PostgresLedgerRepository extends LedgerRepository {
  constructor(private readonly router: ShardRouter) {
    super();
  }

  async balance(): Promise<LedgerBalance> {
    // One statement, so the per-account and per-currency sums come from one snapshot.
    const rows: SumRow[] = await this.router.single().query(
      `SELECT currency, account, sum(amount_minor)::text AS total
         FROM ledger_entries
        GROUP BY GROUPING SETS ((currency), (currency, account))
        ORDER BY currency, account NULLS FIRST`,
    );
    return {
      currencies: rows.filter((r) => r.account === null).map((r) => ({ currency: r.currency, totalMinor: Number(r.total) })),
      accounts: rows.flatMap((r) => (r.account === null ? [] : [{ account: r.account, currency: r.currency, balanceMinor: Number(r.total) }])),
    };
  }
}
