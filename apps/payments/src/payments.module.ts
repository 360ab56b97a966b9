import { Module } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { paymentsDatabase } from './payments.database.js';

@Module({
  imports: [PlatformModule.forService({ service: 'payments', database: paymentsDatabase, messaging: true })],
})
export class PaymentsModule {}
