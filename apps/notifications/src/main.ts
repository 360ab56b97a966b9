import { runService } from '@boxoffice/platform';
import { notificationsDatabase } from './notifications.database.js';
import { NotificationsModule } from './notifications.module.js';

await runService({ name: 'notifications', module: NotificationsModule, database: notificationsDatabase, consumesKafka: true });
