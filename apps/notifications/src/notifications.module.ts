import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { DispatchDeliveriesHandler } from './application/dispatch-deliveries/dispatch-deliveries.handler.js';
import { GetOrderDeliveriesQuery } from './application/get-order-deliveries/get-order-deliveries.query.js';
import { DeliveryQueue } from './application/ports/delivery-queue.port.js';
import { MailSender } from './application/ports/mail-sender.port.js';
import { WebhookSender } from './application/ports/webhook-sender.port.js';
import { RecordOrderNotificationsHandler } from './application/record-order-notifications/record-order-notifications.handler.js';
import { RetryPolicy } from './domain/delivery/retry-policy.js';
import { WebhookAllowList } from './domain/webhook/webhook-allow-list.value-object.js';
import { DeliveryDispatchLoop } from './infrastructure/dispatch/delivery-dispatch-loop.js';
import { MailboxMailSender } from './infrastructure/mail/mailbox-mail-sender.js';
import { SmtpMailSender } from './infrastructure/mail/smtp-mail-sender.js';
import { NOTIFICATION_SETTINGS, type NotificationSettings } from './infrastructure/notification-settings.js';
import { PostgresDeliveryQueue } from './infrastructure/persistence/postgres-delivery-queue.js';
import { HttpWebhookSender } from './infrastructure/webhook/http-webhook-sender.js';
import { TracedMailSender, TracedWebhookSender } from './infrastructure/tracing/traced-senders.js';
import { DeliveriesController } from './interface/http/deliveries.controller.js';
import { OrderOutcomeConsumer } from './interface/messaging/order-outcome.consumer.js';
import { notificationsPlatform, type NotificationsSettings } from './notifications.settings.js';

@Module({
  controllers: [DeliveriesController, OrderOutcomeConsumer],
  providers: [
    { provide: WebhookAllowList, inject: [NOTIFICATION_SETTINGS], useFactory: (s: NotificationSettings) => s.allowList },
    { provide: RetryPolicy, inject: [NOTIFICATION_SETTINGS], useFactory: (s: NotificationSettings) => new RetryPolicy(s.retry) },
    {
      provide: MailSender,
      inject: [NOTIFICATION_SETTINGS],
      useFactory: (s: NotificationSettings) => new TracedMailSender(s.smtpUrl ? new SmtpMailSender(s.smtpUrl, s.mailFrom) : new MailboxMailSender(s.mailboxDir as string, s.mailFrom)),
    },
    {
      provide: WebhookSender,
      inject: [NOTIFICATION_SETTINGS],
      useFactory: (s: NotificationSettings) => new TracedWebhookSender(new HttpWebhookSender(s.webhookSigningSecrets, s.webhookTimeoutMs, s.deniedAddresses)),
    },
    { provide: DeliveryQueue, useClass: PostgresDeliveryQueue },
    RecordOrderNotificationsHandler,
    DispatchDeliveriesHandler,
    GetOrderDeliveriesQuery,
    DeliveryDispatchLoop,
  ],
})
export class NotificationsModule {
  /** With the settings runService read and checked at boot (notificationsSettingsFromEnv): nothing here reads the environment. */
  static withSettings(settings: NotificationsSettings): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [PlatformModule.forService(notificationsPlatform, settings.platform)],
      providers: [{ provide: NOTIFICATION_SETTINGS, useValue: settings.notifications }],
    };
  }
}
