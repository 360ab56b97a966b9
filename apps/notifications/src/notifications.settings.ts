import { platformSettingsFromEnv, type PlatformOptions } from '@boxoffice/platform';
import { notificationSettingsFromEnv } from './infrastructure/notification-settings.js';
import { notificationsDatabase } from './notifications.database.js';

/** What notifications takes from the platform (PlatformModule.forService). */
export const notificationsPlatform: PlatformOptions = { service: 'notifications', database: notificationsDatabase, messaging: true, consumes: true };

/**
 * Every setting notifications reads at boot, parsed and checked in one place:
 * main.ts runs it before anything starts (runService), and
 * test/deploy/settings.spec.ts runs it on the environment each deployment
 * (Kubernetes overlays, Compose) gives the container, so a missing or
 * invalid setting fails a test rather than a pod.
 */
export function notificationsSettingsFromEnv(env: NodeJS.ProcessEnv) {
  return {
    platform: platformSettingsFromEnv(notificationsPlatform, env),
    notifications: notificationSettingsFromEnv(env),
  };
}

/** What notificationsSettingsFromEnv made of the environment at boot: all the module (NotificationsModule.withSettings) is given. */
export type NotificationsSettings = ReturnType<typeof notificationsSettingsFromEnv>;
