import { runService } from '@boxoffice/platform';
import { notificationsDatabase } from './notifications.database.js';
import { NotificationsModule } from './notifications.module.js';
import { notificationsSettingsFromEnv } from './notifications.settings.js';

await runService({ name: 'notifications', module: (settings) => NotificationsModule.withSettings(settings), settings: notificationsSettingsFromEnv, database: notificationsDatabase, consumesKafka: true });
