import { CreateOutboxAndInbox1764000000000, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200 } from '@boxoffice/messaging';
import type { DatabaseDefinition } from '@boxoffice/platform';
import { CreatePayments1764000000001 } from './infrastructure/persistence/migrations/1764000000001-create-payments.js';

export const paymentsDatabase: DatabaseDefinition = {
  entities: [],
  migrations: [CreateOutboxAndInbox1764000000000, CreatePayments1764000000001, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200],
};
