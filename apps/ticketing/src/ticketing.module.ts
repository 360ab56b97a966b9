import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { IssueTicketsHandler } from './application/issue-tickets/issue-tickets.handler.js';
import { ListCustomerTicketsQuery } from './application/list-customer-tickets/list-customer-tickets.query.js';
import { CustomerTickets } from './application/ports/customer-tickets.port.js';
import { TicketRegistry } from './application/ports/ticket-registry.port.js';
import { TicketSigner } from './application/ports/ticket-signer.port.js';
import { RecordCustomerTicketsHandler } from './application/record-customer-tickets/record-customer-tickets.handler.js';
import { VerifyTicketQuery } from './application/verify-ticket/verify-ticket.query.js';
import { VoidRefundedTicketsHandler } from './application/void-refunded-tickets/void-refunded-tickets.handler.js';
import { PostgresCustomerTickets } from './infrastructure/persistence/postgres-customer-tickets.js';
import { PostgresTicketRegistry } from './infrastructure/persistence/postgres-ticket-registry.js';
import { CustomerTicketsController } from './interface/http/customer-tickets.controller.js';
import { TicketVerificationController } from './interface/http/ticket-verification.controller.js';
import { OrderConfirmedConsumer } from './interface/messaging/order-confirmed.consumer.js';
import { OrderRefundedConsumer } from './interface/messaging/order-refunded.consumer.js';
import { TicketsIssuedConsumer } from './interface/messaging/tickets-issued.consumer.js';
import { ticketingPlatform, type TicketingSettings } from './ticketing.settings.js';

@Module({
  controllers: [CustomerTicketsController, TicketVerificationController, OrderConfirmedConsumer, TicketsIssuedConsumer, OrderRefundedConsumer],
  providers: [
    IssueTicketsHandler,
    VerifyTicketQuery,
    ListCustomerTicketsQuery,
    RecordCustomerTicketsHandler,
    VoidRefundedTicketsHandler,
    { provide: TicketRegistry, useClass: PostgresTicketRegistry },
    { provide: CustomerTickets, useClass: PostgresCustomerTickets },
  ],
})
export class TicketingModule {
  /** With the settings runService read and checked at boot (ticketingSettingsFromEnv): nothing here reads the environment. */
  static withSettings(settings: TicketingSettings): DynamicModule {
    return {
      module: TicketingModule,
      imports: [PlatformModule.forService(ticketingPlatform, settings.platform)],
      providers: [{ provide: TicketSigner, useValue: settings.ticketSigner }],
    };
  }
}
