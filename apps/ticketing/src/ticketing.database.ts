import { CreateOutboxAndInbox1764000000000 } from '@boxoffice/messaging';
import type { DatabaseDefinition } from '@boxoffice/platform';

/** So far only the messaging tables; the ticketing model arrives with its use cases. */
export const ticketingDatabase: DatabaseDefinition = {
  entities: [],
  migrations: [CreateOutboxAndInbox1764000000000],
};
