import type { LogLevel } from '@nestjs/common';
import { kafkaSettingsFromEnv, type KafkaSettings, type MessageRetention, DEFAULT_MESSAGE_RETENTION } from '@boxoffice/messaging';
import { tracingSettingsFromEnv, type TracingSettings } from '@boxoffice/observability';
import { databaseConfigFromEnv, type DatabaseConfig } from '@boxoffice/persistence';
import { refuseDevelopmentSettingsInProduction } from './deployment-environment.js';
import { integerSetting } from './integer-setting.js';
import type { NamedKey } from './auth/caller-token.js';
import { publicKeysFromEnv } from './auth/caller-token-keys.js';
import { DEFAULT_STALL_LIMIT_MS } from './health/consumer-health.js';
import { DEFAULT_REPLICA_STATUS_INTERVAL_MS } from './operations/replica-status-reporter.js';
import type { DatabaseDefinition } from './database-definition.js';
import type { UpstreamContext } from './health/upstream-probe.js';
import { serviceIdentityFromEnv, type ServiceIdentity } from './service-identity.js';

/**
 * Consumed messages written in one transaction per shard, at most (see
 * BatchingServerKafka). Small enough that a batch holds its row locks briefly.
 */
export const DEFAULT_CONSUMER_BATCH_SIZE = 20;

export interface PlatformOptions {
  service: string;
  /** Contexts that own data; the gateway has none. */
  database?: DatabaseDefinition;
  /** Contexts that publish Kafka messages (through their outbox). */
  messaging?: boolean;
  /** Contexts that consume Kafka messages: they get a ReliableConsumer and a dead-letter topic. */
  consumes?: boolean;
  /** Contexts this service calls over HTTP (the gateway): its readiness probes whether each replica answers. */
  upstreams?: UpstreamContext[];
  /**
   * The public edge (the gateway): it authenticates end users itself and
   * signs caller tokens. Every other service checks the gateway's caller
   * tokens (ADR 0017), so it needs their public keys.
   */
  edge?: boolean;
}

/** What the platform reads from the environment for one service (PlatformModule.forService's options). */
export interface PlatformSettings {
  identity: ServiceIdentity;
  logLevels: LogLevel[];
  /** Where spans go (OTEL_EXPORTER_OTLP_ENDPOINT); tracing is off without it (docs/observability.md). */
  tracing: TracingSettings;
  kafka?: KafkaSettings;
  /** How often this replica reports its status (ADR 0035). */
  replicaStatusIntervalMs?: number;
  database?: DatabaseConfig;
  messageRetention?: MessageRetention;
  consumerBatchSize?: number;
  /** How long a consumer may stay on one offset, or out of its group, before it counts as not consuming. */
  consumerStallLimitMs?: number;
  /** The keys the gateway's caller tokens may be signed with (CALLER_TOKEN_PUBLIC_KEYS); every service but the edge. */
  callerTokenPublicKeys?: NamedKey[];
}

/**
 * Every platform setting a service reads at boot, parsed and checked: the
 * service's identity, log level and trace exporter; the caller-token keys
 * for every service but the edge; Kafka for a service that publishes or
 * consumes; its database, and how long its outbox and inbox rows are kept,
 * for a context with data; the batch size and stall limit for one that
 * consumes. Each app's `<app>SettingsFromEnv` (apps/<app>/src/<app>.settings.ts)
 * starts from this, and runService hands the result to the app's module:
 * nothing reads the environment after it (a migration reads only DB_SHARDS).
 */
export function platformSettingsFromEnv(options: PlatformOptions, env: NodeJS.ProcessEnv): PlatformSettings {
  // A production boot with a development default, a placeholder or demo tokens stops here (ADR 0017).
  refuseDevelopmentSettingsInProduction(env);
  const settings: PlatformSettings = { identity: serviceIdentityFromEnv(options.service, env), logLevels: logLevelsFromEnv(env), tracing: tracingSettingsFromEnv(env) };
  if (!options.edge) settings.callerTokenPublicKeys = publicKeysFromEnv(env);
  // Every service reports its replicas' status on Kafka (ADR 0035); a context also publishes or consumes there.
  settings.kafka = kafkaSettingsFromEnv(env);
  settings.replicaStatusIntervalMs = integerSetting(env, 'REPLICA_STATUS_INTERVAL_MS', DEFAULT_REPLICA_STATUS_INTERVAL_MS, 500, 60_000);
  if (options.database) settings.database = databaseConfigFromEnv(env);
  if (options.database && options.messaging) settings.messageRetention = messageRetentionFromEnv(env);
  if (options.consumes) {
    settings.consumerBatchSize = consumerBatchSizeFromEnv(env);
    settings.consumerStallLimitMs = integerSetting(env, 'CONSUMER_STALL_LIMIT_MS', DEFAULT_STALL_LIMIT_MS, 1000, 3_600_000);
  }
  return settings;
}

/** LOG_LEVEL names the least severe level written (default `log`; `info` is taken as `log`). */
export function logLevelsFromEnv(env: NodeJS.ProcessEnv): LogLevel[] {
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const raw = env.LOG_LEVEL;
  if (raw === undefined || raw === '') return order.slice(0, order.indexOf('log') + 1);
  const wanted = (raw === 'info' ? 'log' : raw) as LogLevel;
  if (!order.includes(wanted)) throw new Error(`Setting LOG_LEVEL must be one of ${order.join(', ')} or info, got "${raw}"`);
  return order.slice(0, order.indexOf(wanted) + 1);
}

/** CONSUMER_BATCH_SIZE: 1 consumes one message per transaction. */
export function consumerBatchSizeFromEnv(env: NodeJS.ProcessEnv): number {
  return integerSetting(env, 'CONSUMER_BATCH_SIZE', DEFAULT_CONSUMER_BATCH_SIZE, 1, 500);
}

/** OUTBOX_RETENTION_SECONDS and INBOX_RETENTION_SECONDS, each optional (defaults in libs/messaging message-retention.ts). */
export function messageRetentionFromEnv(env: NodeJS.ProcessEnv): MessageRetention {
  return {
    publishedOutboxSeconds: integerSetting(env, 'OUTBOX_RETENTION_SECONDS', DEFAULT_MESSAGE_RETENTION.publishedOutboxSeconds, 60, 365 * 86_400),
    inboxSeconds: integerSetting(env, 'INBOX_RETENTION_SECONDS', DEFAULT_MESSAGE_RETENTION.inboxSeconds, 60, 365 * 86_400),
  };
}
