import { runService } from '@boxoffice/platform';
import { orderingDatabase } from './ordering.database.js';
import { OrderingModule } from './ordering.module.js';
import { orderingSettingsFromEnv } from './ordering.settings.js';

await runService({ name: 'ordering', module: (settings) => OrderingModule.withSettings(settings), settings: orderingSettingsFromEnv, database: orderingDatabase, consumesKafka: true });
