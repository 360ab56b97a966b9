import { ShowCancelledV1 } from './catalog/show-cancelled.v1.js';
import { ShowPublishedV1 } from './catalog/show-published.v1.js';
import { SeatCommandV1, SeatReplyV1 } from './inventory/seat-commands.v1.js';
import { OrderConfirmedV1, OrderRefundedV1, OrderRejectedV1 } from './ordering/order-events.v1.js';
import { PaymentCommandV1, PaymentReplyV1 } from './payments/payment-commands.v1.js';
import { TicketsIssuedV1 } from './ticketing/tickets-issued.v1.js';

/**
 * Every Kafka topic the system uses, in one place. The stack launcher and the
 * Kubernetes manifests pre-create exactly these; brokers run with
 * auto.create.topics.enable=false, so a topic missing here is a boot error,
 * not a silently created single-partition topic.
 *
 * Naming: `<context>.<message>.v<N>`, the context being the one that owns the
 * topic (the producer of an event, the receiver of a command);
 * `<context>.dead-letter.v1` for the messages a context's consumers gave up on.
 */
export const Topics = {
  catalogShowPublished: ShowPublishedV1.topic,
  catalogShowCancelled: ShowCancelledV1.topic,
  inventorySeatCommand: SeatCommandV1.topic,
  inventorySeatReply: SeatReplyV1.topic,
  paymentsPaymentCommand: PaymentCommandV1.topic,
  paymentsPaymentReply: PaymentReplyV1.topic,
  orderingOrderConfirmed: OrderConfirmedV1.topic,
  orderingOrderRejected: OrderRejectedV1.topic,
  orderingOrderRefunded: OrderRefundedV1.topic,
  ticketingTicketsIssued: TicketsIssuedV1.topic,
} as const;

/** Contexts that consume from Kafka each own a dead-letter topic. */
export const DeadLetterTopics = {
  inventory: 'inventory.dead-letter.v1',
  ordering: 'ordering.dead-letter.v1',
  payments: 'payments.dead-letter.v1',
  ticketing: 'ticketing.dead-letter.v1',
  notifications: 'notifications.dead-letter.v1',
} as const;

/**
 * Topics of the platform rather than of a context. Every replica of every app
 * reports its readiness on `platform.replica-status.v1` every few seconds,
 * keyed by its instance id: how the operations console learns which replicas
 * exist, in Kubernetes as under `npm start` (ADR 0035).
 */
export const PlatformTopics = {
  replicaStatus: 'platform.replica-status.v1',
} as const;

/**
 * The status topic keeps the last report of each replica (compaction) and
 * nothing older than ten minutes (deletion): a reader that starts from the
 * beginning reads a few minutes of reports at most, and a replica that
 * vanished without a word drops out on its own.
 */
export const REPLICA_STATUS_RETENTION_MS = 10 * 60 * 1000;

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Topic-level settings, where a topic differs from the broker's defaults. */
  config: Record<string, string>;
}

/**
 * The largest record batch a broker accepts (`message.max.bytes`; Kafka's own
 * default, set explicitly on every broker we run so the number is ours).
 */
export const BROKER_MAX_MESSAGE_BYTES = 1_048_588;

/**
 * How the brokers store every topic's batches (`compression.type`): uncompressed,
 * whatever codec the producer used. kafkajs reads only gzip; a batch in snappy,
 * lz4 or zstd from a client that is not ours would stop a consumer on its
 * partition for good, before a handler could dead-letter it. The broker
 * decompresses such a batch as it takes it (refusing it when it is corrupt, or
 * larger than `message.max.bytes` once decompressed), so consumers only ever
 * fetch plain records ([ADR 0041](../../../docs/adr/0041-brokers-store-batches-uncompressed.md)).
 */
export const BROKER_COMPRESSION_TYPE = 'uncompressed';

/**
 * Room a dead letter needs beyond the original record: the dead-letter
 * headers (reason capped at 1 KiB, topic name, group, numbers) with margin.
 */
export const DEAD_LETTER_HEADROOM_BYTES = 16 * 1024;

/**
 * Dead-letter topics take records larger than any other topic can hold, so
 * the dead letter of a message at the broker's maximum still fits with its
 * added headers (ADR 0019).
 */
export const DEAD_LETTER_MAX_MESSAGE_BYTES = BROKER_MAX_MESSAGE_BYTES + DEAD_LETTER_HEADROOM_BYTES;

/** Partition count bounds the useful consumer replicas of a group. */
export const DEFAULT_PARTITIONS = 6;

export function allTopics(): TopicSpec[] {
  return [
    ...Object.values(Topics).map((name) => ({ name, partitions: DEFAULT_PARTITIONS, config: {} })),
    ...Object.values(DeadLetterTopics).map((name) => ({ name, partitions: DEFAULT_PARTITIONS, config: { 'max.message.bytes': String(DEAD_LETTER_MAX_MESSAGE_BYTES) } })),
    {
      name: PlatformTopics.replicaStatus,
      partitions: DEFAULT_PARTITIONS,
      config: { 'cleanup.policy': 'compact,delete', 'retention.ms': String(REPLICA_STATUS_RETENTION_MS), 'segment.ms': '60000' },
    },
  ];
}
