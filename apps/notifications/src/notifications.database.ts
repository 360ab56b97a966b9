import { CreateOutboxAndInbox1764000000000, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200 } from '@boxoffice/messaging';
import { DeliveryTraceContext1764000000003 } from './infrastructure/persistence/migrations/1764000000003-delivery-trace-context.js';
import type { DatabaseDefinition } from '@boxoffice/platform';
import { DeliveryRecord } from './infrastructure/persistence/delivery.record.js';
import { CreateNotifications1764000000001 } from './infrastructure/persistence/migrations/1764000000001-create-notifications.js';
import { RefundNotices1764000000002 } from './infrastructure/persistence/migrations/1764000000002-refund-notices.js';

export const notificationsDatabase: DatabaseDefinition = {
  entities: [DeliveryRecord],
  migrations: [CreateOutboxAndInbox1764000000000, CreateNotifications1764000000001, RefundNotices1764000000002, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200, DeliveryTraceContext1764000000003],
  // Boots and keeps answering reads when the primary is lost; recording and sending wait for it (docs/cap.md).
  cap: 'AP',
};
