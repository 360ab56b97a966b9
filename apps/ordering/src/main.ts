import { runService } from '@boxoffice/platform';
import { orderingDatabase } from './ordering.database.js';
import { OrderingModule } from './ordering.module.js';

await runService({ name: 'ordering', module: OrderingModule, database: orderingDatabase, consumesKafka: true });
