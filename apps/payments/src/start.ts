import { runService } from '@boxoffice/platform';
import { paymentsDatabase } from './payments.database.js';
import { PaymentsModule } from './payments.module.js';
import { paymentsSettingsFromEnv } from './payments.settings.js';

await runService({ name: 'payments', module: (settings) => PaymentsModule.withSettings(settings), settings: paymentsSettingsFromEnv, database: paymentsDatabase, consumesKafka: true });
