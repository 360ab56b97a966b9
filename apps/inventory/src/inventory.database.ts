import { CreateOutboxAndInbox1764000000000, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200 } from '@boxoffice/messaging';
import type { DatabaseDefinition } from '@boxoffice/platform';
import { CreateInventory1764000000001 } from './infrastructure/persistence/migrations/1764000000001-create-inventory.js';
import { SeatHolds1764000000002 } from './infrastructure/persistence/migrations/1764000000002-seat-holds.js';
import { CancelledShows1764000000003 } from './infrastructure/persistence/migrations/1764000000003-cancelled-shows.js';
import { SeatsWithoutVersion1764000000004 } from './infrastructure/persistence/migrations/1764000000004-seats-without-version.js';

export const inventoryDatabase: DatabaseDefinition = {
  entities: [],
  migrations: [CreateOutboxAndInbox1764000000000, CreateInventory1764000000001, SeatHolds1764000000002, CancelledShows1764000000003, SeatsWithoutVersion1764000000004, MessageRetentionIndexes1764000000100, OutboxTraceContext1764000000200],
};
