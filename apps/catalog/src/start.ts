import { runService } from '@boxoffice/platform';
import { catalogDatabase } from './catalog.database.js';
import { CatalogModule } from './catalog.module.js';
import { catalogSettingsFromEnv } from './catalog.settings.js';

await runService({ name: 'catalog', module: (settings) => CatalogModule.withSettings(settings), settings: catalogSettingsFromEnv, database: catalogDatabase });
