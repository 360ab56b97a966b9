import { runService } from '@boxoffice/platform';
import { inventoryDatabase } from './inventory.database.js';
import { InventoryModule } from './inventory.module.js';

await runService({ name: 'inventory', module: InventoryModule, database: inventoryDatabase, consumesKafka: true });
