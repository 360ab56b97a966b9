import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { AuthorizePaymentHandler } from './application/authorize-payment/authorize-payment.handler.js';
import { CapturePaymentHandler } from './application/capture-payment/capture-payment.handler.js';
import { GetLedgerBalanceQuery } from './application/get-ledger-balance/get-ledger-balance.query.js';
import { GetPaymentQuery } from './application/get-payment/get-payment.query.js';
import { LedgerRepository } from './application/ports/ledger.repository.port.js';
import { PaymentIntentRepository } from './application/ports/payment-intent.repository.port.js';
import { PaymentProvider } from './application/ports/payment-provider.port.js';
import { RefundPaymentHandler } from './application/refund-payment/refund-payment.handler.js';
import { VoidPaymentHandler } from './application/void-payment/void-payment.handler.js';
import { PostgresLedgerRepository } from './infrastructure/persistence/postgres-ledger.repository.js';
import { PostgresPaymentIntentRepository } from './infrastructure/persistence/postgres-payment-intent.repository.js';
import { SimulatedPaymentProvider } from './infrastructure/provider/simulated-payment-provider.js';
import { LedgerController } from './interface/http/ledger.controller.js';
import { PaymentsController } from './interface/http/payments.controller.js';
import { PaymentCommandsConsumer } from './interface/messaging/payment-commands.consumer.js';
import { paymentsPlatform, type PaymentsSettings } from './payments.settings.js';

@Module({
  controllers: [PaymentsController, LedgerController, PaymentCommandsConsumer],
  providers: [
    AuthorizePaymentHandler,
    CapturePaymentHandler,
    VoidPaymentHandler,
    RefundPaymentHandler,
    GetPaymentQuery,
    GetLedgerBalanceQuery,
    { provide: PaymentIntentRepository, useClass: PostgresPaymentIntentRepository },
    { provide: LedgerRepository, useClass: PostgresLedgerRepository },
  ],
})
export class PaymentsModule {
  /** With the settings runService read and checked at boot (paymentsSettingsFromEnv): nothing here reads the environment. */
  static withSettings(settings: PaymentsSettings): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [PlatformModule.forService(paymentsPlatform, settings.platform)],
      providers: [{ provide: PaymentProvider, useFactory: () => new SimulatedPaymentProvider(settings.simulator) }],
    };
  }
}
