import { runService } from '@boxoffice/platform';
import { paymentsDatabase } from './payments.database.js';
import { PaymentsModule } from './payments.module.js';

await runService({ name: 'payments', module: PaymentsModule, database: paymentsDatabase, consumesKafka: true });
