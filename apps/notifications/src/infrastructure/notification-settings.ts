import { integerSetting } from '@boxoffice/platform';
import type { RetrySettings } from '../domain/delivery/retry-policy.js';
import { DeniedAddresses } from '../domain/webhook/denied-addresses.value-object.js';
import { WebhookAllowList } from '../domain/webhook/webhook-allow-list.value-object.js';

export const NOTIFICATION_SETTINGS = Symbol('NOTIFICATION_SETTINGS');

export interface NotificationSettings {
  /** What webhooks are signed with: WEBHOOK_SIGNING_SECRET, then WEBHOOK_PREVIOUS_SIGNING_SECRET during a rollover. */
  webhookSigningSecrets: string[];
  allowList: WebhookAllowList;
  /** Addresses no webhook may reach, whatever the allow-list says. */
  deniedAddresses: DeniedAddresses;
  webhookTimeoutMs: number;
  /** Mail goes to an SMTP server when set, otherwise into `mailboxDir` as .eml files. */
  smtpUrl?: string;
  mailboxDir?: string;
  mailFrom: string;
  retry: RetrySettings;
}

/**
 * Read and checked at boot: a missing or malformed setting stops the process
 * with its name. Retries default to short delays (first retry after about a
 * second, doubling, 12 attempts, about an hour at most between two), which
 * suits a local stack and its tests; production sets a larger base.
 */
export function notificationSettingsFromEnv(env: NodeJS.ProcessEnv): NotificationSettings {
  const webhookSigningSecret = env.WEBHOOK_SIGNING_SECRET ?? '';
  if (webhookSigningSecret.length < 16) {
    throw new Error('Missing or too short setting WEBHOOK_SIGNING_SECRET (the key that signs webhooks, at least 16 characters)');
  }
  // Optional, during a rollover only: webhooks carry a signature under each (docs/deployment.md#keys-and-secrets).
  const previousSecret = env.WEBHOOK_PREVIOUS_SIGNING_SECRET || undefined;
  if (previousSecret !== undefined && (previousSecret.length < 16 || previousSecret === webhookSigningSecret)) {
    throw new Error('Setting WEBHOOK_PREVIOUS_SIGNING_SECRET must be the secret being retired: at least 16 characters, and not WEBHOOK_SIGNING_SECRET');
  }
  if (env.WEBHOOK_ALLOWED_HOSTS === undefined) {
    throw new Error('Missing setting WEBHOOK_ALLOWED_HOSTS (comma-separated hosts or host:port that webhooks may call; empty for none)');
  }
  const allowList = WebhookAllowList.parse(env.WEBHOOK_ALLOWED_HOSTS);
  if (!allowList.ok) throw new Error(`Setting WEBHOOK_ALLOWED_HOSTS is invalid: ${allowList.error.message}`);
  // Unset: loopback and the private ranges. Set: exactly these, on top of the always-denied ones.
  const deniedAddresses = DeniedAddresses.parse(env.WEBHOOK_DENIED_ADDRESSES ?? DeniedAddresses.DEFAULT.join(','));
  if (!deniedAddresses.ok) throw new Error(`Setting WEBHOOK_DENIED_ADDRESSES is invalid: ${deniedAddresses.error.message}`);
  const smtpUrl = env.SMTP_URL || undefined;
  const mailboxDir = env.MAILBOX_DIR || undefined;
  if (!smtpUrl && !mailboxDir) throw new Error('Missing setting SMTP_URL or MAILBOX_DIR (where order mail goes: an SMTP server, or a folder for .eml files)');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new Error('Setting SMTP_URL must start with smtp:// or smtps://');
  return {
    webhookSigningSecrets: previousSecret === undefined ? [webhookSigningSecret] : [webhookSigningSecret, previousSecret],
    allowList: allowList.value,
    deniedAddresses: deniedAddresses.value,
    webhookTimeoutMs: integerSetting(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    smtpUrl,
    mailboxDir,
    mailFrom: env.MAIL_FROM || 'boxoffice <no-reply@boxoffice.invalid>',
    retry: {
      baseDelayMs: integerSetting(env, 'DELIVERY_RETRY_BASE_MS', 1000, 10, 3_600_000),
      maxAttempts: integerSetting(env, 'DELIVERY_MAX_ATTEMPTS', 12, 1, 100),
      maxDelayMs: integerSetting(env, 'DELIVERY_RETRY_MAX_MS', 3_600_000, 10, 86_400_000),
    },
  };
}
