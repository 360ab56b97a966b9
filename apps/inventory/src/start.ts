import { runService } from '@boxoffice/platform';
import { inventoryDatabase } from './inventory.database.js';
import { InventoryModule } from './inventory.module.js';
import { inventorySettingsFromEnv } from './inventory.settings.js';

await runService({ name: 'inventory', module: (settings) => InventoryModule.withSettings(settings), settings: inventorySettingsFromEnv, database: inventoryDatabase, consumesKafka: true });
