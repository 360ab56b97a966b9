import { Module } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { notificationsDatabase } from './notifications.database.js';

@Module({
  imports: [PlatformModule.forService({ service: 'notifications', database: notificationsDatabase, messaging: true })],
})
export class NotificationsModule {}
