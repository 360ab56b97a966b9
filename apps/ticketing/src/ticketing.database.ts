import { CreateOutboxAndInbox1764000000000, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200 } from '@boxoffice/messaging';
import type { DatabaseDefinition } from '@boxoffice/platform';
import { CustomerTicketRecord } from './infrastructure/persistence/customer-ticket.record.js';
import { CreateTicketing1764000000001 } from './infrastructure/persistence/migrations/1764000000001-create-ticketing.js';
import { RefundedOrders1764000000002 } from './infrastructure/persistence/migrations/1764000000002-refunded-orders.js';
import { TicketRecord } from './infrastructure/persistence/ticket.record.js';

export const ticketingDatabase: DatabaseDefinition = {
  entities: [TicketRecord, CustomerTicketRecord],
  migrations: [CreateOutboxAndInbox1764000000000, CreateTicketing1764000000001, RefundedOrders1764000000002, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200],
  // Customers' lists and the door's checks go on when a primary is lost: reads come from replicas (docs/cap.md).
  cap: 'AP',
};
