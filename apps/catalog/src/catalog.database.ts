import { CreateOutboxAndInbox1764000000000, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200 } from '@boxoffice/messaging';
import type { DatabaseDefinition } from '@boxoffice/platform';
import { CreateCatalog1764000000001 } from './infrastructure/persistence/migrations/1764000000001-create-catalog.js';
import { ShowRecord } from './infrastructure/persistence/show.record.js';
import { VenueRecord } from './infrastructure/persistence/venue.record.js';

export const catalogDatabase: DatabaseDefinition = {
  entities: [VenueRecord, ShowRecord],
  migrations: [CreateOutboxAndInbox1764000000000, CreateCatalog1764000000001, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200],
  // Browsing must go on when the primary is lost: reads come from replicas (docs/cap.md).
  cap: 'AP',
};
