import { Controller, Get } from '@nestjs/common';
import type { LedgerBalanceView } from '@boxoffice/contracts';
import { GetLedgerBalanceQuery } from '../../application/get-ledger-balance/get-ledger-balance.query.js';

@Controller('ledger')
export class LedgerController {
  constructor(private readonly getBalance: GetLedgerBalanceQuery) {}

  @Get('balance')
  balance(): Promise<LedgerBalanceView> {
    return this.getBalance.execute();
  }
}
