import { logLevel, type KafkaConfig } from 'kafkajs';
import { fixKafkajsIdleTimer } from './kafkajs-idle-timer-fix.js';
import { kafkajsLogCreator } from './kafkajs-log.js';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

export function kafkaSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaSettings {
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) throw new Error('Missing setting KAFKA_BROKERS (comma-separated host:port list)');
  return { brokers, clientId: env.INSTANCE_ID ?? env.SERVICE_NAME ?? 'boxoffice' };
}

/**
 * The kafkajs client configuration every producer, consumer and admin shares,
 * Nest's Kafka transport included: its lines go through the service's logger
 * (kafkajs-log.ts).
 */
export function kafkaClientConfig(settings: KafkaSettings): KafkaConfig {
  fixKafkajsIdleTimer();
  return {
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 100, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: kafkajsLogCreator(),
  };
}

/**
 * Consumer timing: a killed member stalls its partitions until the session
 * times out, so keep it short; heartbeats go out between messages and from
 * long handlers that call `heartbeat()`.
 */
export const CONSUMER_TIMING = { sessionTimeout: 10000, heartbeatInterval: 1000, rebalanceTimeout: 20000 } as const;

/**
 * How many partitions one consumer works on at once (kafkajs
 * `partitionsConsumedConcurrently`). Order is kept within a partition, and
 * every message is keyed by its aggregate, so one aggregate's messages are
 * still handled one after the other; different orders' messages no longer
 * queue behind each other's database round trips. Handlers are idempotent
 * (inbox), and different topics' messages for one order could already be
 * handled side by side by two replicas.
 */
export const PARTITIONS_CONSUMED_CONCURRENTLY = 4;
