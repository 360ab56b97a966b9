import pg from 'pg';
import { Topics } from '../libs/contracts/src/index.js';
import { type Attempt } from './load.js';
import { median, percentile, round } from './stats.js';

/**
 * Where an order's time goes, read from the data the saga leaves behind:
 * every step is an outbox row (created_at = start of the transaction that
 * staged it, published_at = start of the relay transaction that sent it) and
 * an inbox row on the receiving side (processed_at = start of the
 * transaction that handled it). Same machine, same clock.
 */
export interface Segment {
  step: string;
  /** What the interval covers. */
  covers: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
}

export interface SagaProfile {
  segments: Segment[];
  /** POST sent → the ordering transaction that settled the order began (exact, no polling delay). */
  settled: { count: number; p50Ms: number; p95Ms: number; p99Ms: number };
  /** Per settled-confirmed order: saga messages through the broker, and the transactions that handled them. */
  perConfirmedOrder: { brokerHops: number; transactions: number };
  /**
   * Every message about these orders, whatever its topic: each one produced
   * is at least one broker round trip, and each delivery (a consumer group
   * handling it) one transaction. The CPU floor counts from these.
   */
  messages: { produced: number; delivered: number };
  /** Saga messages each context handled for these orders, and over how long (first to last). */
  consumers: { context: string; messages: number; spanSeconds: number; perSecond: number }[];
  /** Per order id, when the transaction that settled it began (ms since epoch). */
  settledAt: Record<string, { at: number; topic: string }>;
}

type ShardUrls = { primary: string; replicas: string[] }[];

const SAGA_STEPS = [
  { topic: Topics.inventorySeatCommand, name: 'seat command' },
  { topic: Topics.inventorySeatReply, name: 'seat reply' },
  { topic: Topics.paymentsPaymentCommand, name: 'payment command' },
  { topic: Topics.paymentsPaymentReply, name: 'payment reply' },
];
const SETTLING = [Topics.orderingOrderConfirmed, Topics.orderingOrderRejected];

interface OutboxRow {
  message_id: string;
  topic: string;
  message_key: string;
  created_at: Date;
  published_at: Date | null;
}

export async function profileSaga(databases: Record<string, ShardUrls>, attempts: Attempt[]): Promise<SagaProfile> {
  const orders = attempts.filter((a) => a.orderId);
  const orderIds = orders.map((a) => a.orderId!);
  const messages = await countMessages(databases, orderIds);
  const outbox = (
    await Promise.all(
      ['ordering', 'inventory', 'payments'].map((ctx) =>
        everywhere<OutboxRow>(databases[ctx], `SELECT message_id, topic, message_key, created_at, published_at FROM outbox WHERE message_key = ANY($1)`, [orderIds]),
      ),
    )
  ).flat();
  const ids = outbox.map((r) => r.message_id);
  const inboxes = await Promise.all(
    ['ordering', 'inventory', 'payments'].map(async (ctx) => ({
      ctx,
      rows: await everywhere<{ message_id: string; processed_at: Date }>(databases[ctx], `SELECT message_id, processed_at FROM inbox WHERE message_id = ANY($1::uuid[])`, [ids]),
    })),
  );
  const inbox = inboxes.flatMap((i) => i.rows);
  // A consumer that handles messages one at a time shows up as a steady rate while it is busy.
  const consumers = inboxes.map(({ ctx, rows }) => {
    const times = rows.map((r) => r.processed_at.getTime());
    const spanSeconds = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : 0;
    return { context: ctx, messages: rows.length, spanSeconds: round(spanSeconds, 2), perSecond: spanSeconds ? round(rows.length / spanSeconds) : 0 };
  });
  const handledAt = new Map<string, number>();
  for (const row of inbox) handledAt.set(row.message_id, Math.min(handledAt.get(row.message_id) ?? Infinity, row.processed_at.getTime()));

  const placedAt = new Map<string, number>();
  for (const row of await everywhere<{ order_id: string; placed_at: Date }>(databases.ordering, `SELECT order_id, placed_at FROM orders WHERE order_id = ANY($1::uuid[])`, [orderIds])) {
    placedAt.set(row.order_id, row.placed_at.getTime());
  }

  const segments: Segment[] = [];
  const segment = (step: string, covers: string, values: number[]) =>
    segments.push({ step, covers, count: values.length, p50Ms: round(median(values)), p95Ms: round(percentile(values, 95)) });

  segment(
    'accept',
    'POST sent → ordering stored the order (gateway, ordering HTTP, the first commit)',
    orders.filter((a) => placedAt.has(a.orderId!)).map((a) => placedAt.get(a.orderId!)! - a.postedAt),
  );
  for (const step of SAGA_STEPS) {
    const rows = outbox.filter((r) => r.topic === step.topic && r.published_at);
    segment(`${step.name}: relay`, 'staged → relay picked it up (sender commit, relay wake-up/poll)', rows.map((r) => r.published_at!.getTime() - r.created_at.getTime()));
    segment(
      `${step.name}: delivery`,
      'relay picked it up → receiver began handling it (produce, relay commit, fetch, consumer queue)',
      rows.filter((r) => handledAt.has(r.message_id)).map((r) => handledAt.get(r.message_id)! - r.published_at!.getTime()),
    );
  }

  const byOrder = new Map(orders.map((a) => [a.orderId!, a]));
  const settling = outbox.filter((r) => SETTLING.includes(r.topic));
  const settledAt = Object.fromEntries(settling.map((r) => [r.message_key, { at: r.created_at.getTime(), topic: r.topic }]));
  const settledMs = settling.map((r) => r.created_at.getTime() - byOrder.get(r.message_key)!.postedAt);
  const confirmedOrders = new Set(outbox.filter((r) => r.topic === Topics.orderingOrderConfirmed).map((r) => r.message_key));
  const confirmedSagaRows = outbox.filter((r) => confirmedOrders.has(r.message_key) && SAGA_STEPS.some((s) => s.topic === r.topic));
  const hops = confirmedOrders.size ? confirmedSagaRows.length / confirmedOrders.size : 0;
  return {
    segments,
    settled: { count: settledMs.length, p50Ms: round(median(settledMs)), p95Ms: round(percentile(settledMs, 95)), p99Ms: round(percentile(settledMs, 99)) },
    // Each hop is handled in one transaction (inbox + effect + outbox); plus the order's own insert.
    perConfirmedOrder: { brokerHops: round(hops, 2), transactions: round(hops + 1, 2) },
    messages,
    consumers,
    settledAt,
  };
}

/** Messages keyed by these orders in every context's outbox, and their rows in every context's inbox. */
async function countMessages(databases: Record<string, ShardUrls>, orderIds: string[]): Promise<{ produced: number; delivered: number }> {
  const contexts = Object.values(databases);
  const produced = (await Promise.all(contexts.map((shards) => everywhere<{ message_id: string }>(shards, `SELECT message_id FROM outbox WHERE message_key = ANY($1)`, [orderIds])))).flat();
  const ids = produced.map((r) => r.message_id);
  const delivered = await Promise.all(contexts.map((shards) => everywhere<{ n: number }>(shards, `SELECT count(*)::int AS n FROM inbox WHERE message_id = ANY($1::uuid[])`, [ids])));
  return { produced: ids.length, delivered: delivered.flat().reduce((sum, r) => sum + r.n, 0) };
}

async function everywhere<T>(shards: ShardUrls, sql: string, params: unknown[]): Promise<T[]> {
  const rows: T[] = [];
  for (const shard of shards) {
    const client = new pg.Client({ connectionString: shard.primary });
    await client.connect();
    try {
      rows.push(...((await client.query(sql, params)).rows as T[]));
    } finally {
      await client.end();
    }
  }
  return rows;
}
