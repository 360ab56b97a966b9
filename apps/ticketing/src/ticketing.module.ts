import { Module } from '@nestjs/common';
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
import { HmacTicketSigner } from './infrastructure/signing/hmac-ticket-signer.js';
import { CustomerTicketsController } from './interface/http/customer-tickets.controller.js';
import { TicketVerificationController } from './interface/http/ticket-verification.controller.js';
import { OrderConfirmedConsumer } from './interface/messaging/order-confirmed.consumer.js';
import { OrderRefundedConsumer } from './interface/messaging/order-refunded.consumer.js';
import { TicketsIssuedConsumer } from './interface/messaging/tickets-issued.consumer.js';
import { ticketingPlatform } from './ticketing.settings.js';

@Module({
  imports: [PlatformModule.forService(ticketingPlatform)],
  controllers: [CustomerTicketsController, TicketVerificationController, OrderConfirmedConsumer, TicketsIssuedConsumer, OrderRefundedConsumer],
  providers: [
    IssueTicketsHandler,
    VerifyTicketQuery,
    ListCustomerTicketsQuery,
    RecordCustomerTicketsHandler,
    VoidRefundedTicketsHandler,
    { provide: TicketRegistry, useClass: PostgresTicketRegistry },
    { provide: CustomerTickets, useClass: PostgresCustomerTickets },
    // Read at boot, so a missing secret stops the process with its name.
    { provide: TicketSigner, useFactory: () => HmacTicketSigner.fromEnv() },
  ],
})
export class TicketingModule {}
