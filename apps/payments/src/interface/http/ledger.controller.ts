import { Controller, Get } from '@nestjs/common';
import type { LedgerBalanceView } from '@boxoffice/contracts';
import { Allow } from '@boxoffice/platform';
import { GetLedgerBalanceQuery } from '../../application/get-ledger-balance/get-ledger-balance.query.js';

/** For operations (and tests): admins only. */
@Allow('admin')
@Controller('ledger')
export class LedgerController {
  constructor(private readonly getBalance: GetLedgerBalanceQuery) {}

  @Get('balance')
  balance(): Promise<LedgerBalanceView> {
    return this.getBalance.execute();
  }
}
