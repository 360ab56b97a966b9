import { runService } from '@boxoffice/platform';
import { orderingDatabase } from './ordering.database.js';
import { OrderingModule } from './ordering.module.js';
import { orderingSettingsFromEnv } from './ordering.settings.js';

await runService({ name: 'ordering', module: OrderingModule, settings: orderingSettingsFromEnv, database: orderingDatabase, consumesKafka: true });
