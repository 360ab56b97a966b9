import { runService } from '@boxoffice/platform';
import { catalogDatabase } from './catalog.database.js';
import { CatalogModule } from './catalog.module.js';

await runService({ name: 'catalog', module: CatalogModule, database: catalogDatabase });
