import { CreateOutboxAndInbox1764000000000, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200 } from '@boxoffice/messaging';
import type { DatabaseDefinition } from '@boxoffice/platform';
import { CreateOrders1764000000001 } from './infrastructure/persistence/migrations/1764000000001-create-orders.js';
import { RefundedOrders1764000000002 } from './infrastructure/persistence/migrations/1764000000002-refunded-orders.js';
import { ShowCancellations1764000000003 } from './infrastructure/persistence/migrations/1764000000003-show-cancellations.js';
import { OrderHistory1764000000004 } from './infrastructure/persistence/migrations/1764000000004-order-history.js';
import { OrderTrace1764000000005 } from './infrastructure/persistence/migrations/1764000000005-order-trace.js';
import { OrderOutcomeCounts1764000000300 } from './infrastructure/persistence/migrations/1764000000300-order-outcome-counts.js';

export const orderingDatabase: DatabaseDefinition = {
  entities: [],
  migrations: [CreateOutboxAndInbox1764000000000, CreateOrders1764000000001, RefundedOrders1764000000002, ShowCancellations1764000000003, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200, OrderHistory1764000000004, OrderOutcomeCounts1764000000300, OrderTrace1764000000005],
};
