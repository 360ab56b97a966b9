import { runService } from '@boxoffice/platform';
import { ticketingDatabase } from './ticketing.database.js';
import { TicketingModule } from './ticketing.module.js';
import { ticketingSettingsFromEnv } from './ticketing.settings.js';

await runService({ name: 'ticketing', module: (settings) => TicketingModule.withSettings(settings), settings: ticketingSettingsFromEnv, database: ticketingDatabase, consumesKafka: true });
