import { runService } from '@boxoffice/platform';
import { ticketingDatabase } from './ticketing.database.js';
import { TicketingModule } from './ticketing.module.js';

await runService({ name: 'ticketing', module: TicketingModule, database: ticketingDatabase, consumesKafka: true });
