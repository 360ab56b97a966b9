import { z } from 'zod';
import { OrderStatus } from './ordering-api.js';
import { TraceIdParam } from './trace-api.js';

/**
 * What the operations console reads (ADR 0035). Numbers Kafka gives as
 * 64-bit offsets stay strings; counts and lags are numbers.
 */

/** One Postgres node as the context that reports it reaches it. */
export const DatabaseNodeView = z.object({
  /** The context's name for it, e.g. `shard0-primary`, `shard1-replica0`. */
  node: z.string(),
  role: z.enum(['primary', 'standby']),
  status: z.enum(['up', 'down']),
  /** Why it is down. */
  error: z.string().optional(),
  /** A standby's replay lag in seconds (0 when it replayed all it received); null for the primary or when unknown. */
  lagSeconds: z.number().nullable(),
});
export type DatabaseNodeView = z.infer<typeof DatabaseNodeView>;

/**
 * One standby as its primary sees it: its replication slot and, while it is
 * connected, its `pg_stat_replication` row. The lag is the WAL the primary
 * wrote that the standby has not replayed (or, while it is disconnected, not
 * even received): it grows while a stopped standby stays down.
 */
export const StandbyReplicationView = z.object({
  /** Its application_name (and slot name). */
  standby: z.string(),
  connected: z.boolean(),
  /** `streaming`, `catchup`, …; null while disconnected. */
  state: z.string().nullable(),
  /** `sync`, `quorum`, `potential` or `async`; null while disconnected. */
  syncState: z.string().nullable(),
  lagBytes: z.number().nullable(),
});
export type StandbyReplicationView = z.infer<typeof StandbyReplicationView>;

export const ShardDatabaseView = z.object({
  shard: z.number().int().nonnegative(),
  nodes: z.array(DatabaseNodeView),
  /** The primary's view of its standbys; null while the primary does not answer. */
  replication: z.array(StandbyReplicationView).nullable(),
  /** Outbox rows this context has not published yet on this shard; null while the primary does not answer. */
  outboxUnpublished: z.number().int().nonnegative().nullable(),
});
export type ShardDatabaseView = z.infer<typeof ShardDatabaseView>;

/** A context's `GET /ops/databases`: every shard it has a database on. */
export const ContextDatabasesView = z.object({ context: z.string(), shards: z.array(ShardDatabaseView) });
export type ContextDatabasesView = z.infer<typeof ContextDatabasesView>;

/** What a replica reports on `platform.replica-status.v1`, keyed by its instance id. */
export const ReplicaStatusReport = z.object({
  service: z.string().min(1).max(100),
  instance: z.string().min(1).max(200),
  /** `ready`, `degraded` (ready, doing less), `not-ready`, or `stopped` (its last word before a clean stop). */
  status: z.enum(['ready', 'degraded', 'not-ready', 'stopped']),
  /** Each readiness check and its state, e.g. `{ "kafka": "up", "postgres-shard0": "down" }`. */
  checks: z.record(z.string(), z.enum(['up', 'degraded', 'down'])),
  startedAt: z.iso.datetime(),
  reportedAt: z.iso.datetime(),
  /** When the next report is due: a reader knows when a replica has fallen silent. */
  intervalMs: z.number().int().positive(),
});
export type ReplicaStatusReport = z.infer<typeof ReplicaStatusReport>;

/** A replica as the gateway last heard of it; `silent` when its reports stopped coming (crashed, or cut off from Kafka). */
export const ReplicaView = ReplicaStatusReport.omit({ status: true }).extend({
  status: z.enum(['ready', 'degraded', 'not-ready', 'stopped', 'silent']),
  /** Seconds since its last report. */
  silentForSeconds: z.number().nonnegative(),
});
export type ReplicaView = z.infer<typeof ReplicaView>;

export const BrokerView = z.object({ nodeId: z.number().int(), host: z.string(), port: z.number().int(), controller: z.boolean() });
export type BrokerView = z.infer<typeof BrokerView>;

/** Kafka as the gateway's admin client sees it, or why it cannot. */
export const KafkaClusterView = z.discriminatedUnion('status', [
  z.object({ status: z.literal('up'), clusterId: z.string(), brokers: z.array(BrokerView) }),
  z.object({ status: z.literal('down'), error: z.string() }),
]);
export type KafkaClusterView = z.infer<typeof KafkaClusterView>;

/** A context's answer to the gateway, or why there is none. */
const unavailable = z.object({ context: z.string(), status: z.literal('unavailable'), error: z.string() });

/**
 * `GET /admin/ops/topology`: every shard's nodes (as the contexts with a
 * database there reach them) and replication, the brokers, every replica.
 */
export const TopologyView = z.object({
  shards: z.array(
    ShardDatabaseView.omit({ outboxUnpublished: true }).extend({
      /** The contexts whose view this is (they share the shard's nodes). */
      seenBy: z.array(z.string()),
    }),
  ),
  /** Contexts that did not answer: their view is missing from `shards`. */
  unavailable: z.array(unavailable),
  kafka: KafkaClusterView,
  replicas: z.array(ReplicaView),
});
export type TopologyView = z.infer<typeof TopologyView>;

/** `GET /admin/ops/outbox`: unpublished outbox rows per context and shard. */
export const OutboxBacklogView = z.object({
  contexts: z.array(
    z.discriminatedUnion('status', [
      z.object({ context: z.string(), status: z.literal('up'), shards: z.array(z.object({ shard: z.number().int(), unpublished: z.number().int().nullable() })) }),
      unavailable,
    ]),
  ),
});
export type OutboxBacklogView = z.infer<typeof OutboxBacklogView>;

export const PartitionLagView = z.object({
  partition: z.number().int(),
  /** The group's committed offset; null when it has committed none on this partition. */
  committedOffset: z.string().nullable(),
  endOffset: z.string(),
  /** Messages on the partition the group has not committed past (from the log's start when it committed nothing). */
  lag: z.number().int().nonnegative(),
});

/** `GET /admin/ops/consumer-groups`: each consumer group, its members and its lag per topic and partition. */
export const ConsumerGroupsView = z.object({
  groups: z.array(
    z.object({
      groupId: z.string(),
      /** Kafka's group state: `Stable`, `PreparingRebalance`, `CompletingRebalance`, `Empty`, `Dead`. */
      state: z.string(),
      /** Each member and the partitions it is assigned. */
      members: z.array(z.object({ clientId: z.string(), host: z.string(), assignment: z.array(z.object({ topic: z.string(), partitions: z.array(z.number().int()) })) })),
      lag: z.number().int().nonnegative(),
      topics: z.array(z.object({ topic: z.string(), lag: z.number().int().nonnegative(), partitions: z.array(PartitionLagView) })),
    }),
  ),
});
export type ConsumerGroupsView = z.infer<typeof ConsumerGroupsView>;

/** Ordering's `GET /ops/sagas` and the gateway's `GET /admin/ops/sagas`: checkouts and refunds not yet settled, by state. */
export const SagasInFlightView = z.object({
  inFlight: z.number().int().nonnegative(),
  states: z.array(z.object({ state: OrderStatus, count: z.number().int().positive(), oldestPlacedAt: z.iso.datetime() })),
  /**
   * The sagas placed first of those in flight (at most 10), oldest first: the
   * ones most likely stuck. `traceId` is the trace of the request that placed
   * the order, for the console's link to its waterfall; null when it was
   * placed untraced (docs/adr/0044).
   */
  oldest: z.array(z.object({ orderId: z.uuid(), state: OrderStatus, placedAt: z.iso.datetime(), traceId: TraceIdParam.nullable() })),
});
export type SagasInFlightView = z.infer<typeof SagasInFlightView>;

/**
 * `GET /admin/ops/orders`: how many orders every ordering shard has placed,
 * confirmed (refunded since or not) and rejected since it began. The counts
 * only grow, whichever replica answers and across restarts: a reader derives
 * orders per second from two readings over its own clock (docs/adr/0038).
 */
export const OrderOutcomesView = z.object({
  placed: z.number().int().nonnegative(),
  confirmed: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
});
export type OrderOutcomesView = z.infer<typeof OrderOutcomesView>;

export const DeadLetterView = z.object({
  partition: z.number().int(),
  offset: z.string(),
  timestamp: z.iso.datetime(),
  key: z.string().nullable(),
  /** The `boxoffice-dlq-*` headers (ADR 0019): why, where from, which group gave up, after how many tries. */
  reason: z.string().nullable(),
  originalTopic: z.string().nullable(),
  originalPartition: z.number().int().nullable(),
  originalOffset: z.string().nullable(),
  group: z.string().nullable(),
  attempts: z.number().int().nullable(),
  /** The original value's size in bytes; null for a null value. */
  valueBytes: z.number().int().nullable(),
  /** Its first 200 bytes as UTF-8 text (bytes that are not UTF-8 as U+FFFD). */
  valuePreview: z.string().nullable(),
  /**
   * The trace the message was part of, from the original's W3C `traceparent`
   * header (kept byte for byte, ADR 0019): the console links it to the trace's
   * waterfall. Null when the producer sent none (or not a valid one).
   */
  traceId: TraceIdParam.nullable(),
});
export type DeadLetterView = z.infer<typeof DeadLetterView>;

/** `GET /admin/ops/dead-letters`: per dead-letter topic, how many it holds and the latest few, newest first. */
export const DeadLettersView = z.object({
  topics: z.array(
    z.object({
      topic: z.string(),
      context: z.string(),
      /** Records the topic holds now (what retention has not deleted). */
      stored: z.number().int().nonnegative(),
      latest: z.array(DeadLetterView),
    }),
  ),
  /** Up to this many of the newest per partition are kept in view. */
  perPartition: z.number().int().positive(),
});
export type DeadLettersView = z.infer<typeof DeadLettersView>;
