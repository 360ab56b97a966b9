import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  OrderConfirmedV1,
  OrderRefundedV1,
  OrderRejectedV1,
  PaymentCommandV1,
  SeatCommandV1,
  type EventContract,
  type PaymentCommand,
  type SeatCommand,
} from '@boxoffice/contracts';
import { ConcurrentChangeError } from '@boxoffice/ddd';
import { envelopeFor, messageFor, processOnce, stageMessage, type CausalContext, type ConsumedMessage } from '@boxoffice/messaging';
import { ShardRouter, afterCommit, notifyOnCommit, type ShardWriter } from '@boxoffice/persistence';
import { traceFields } from '@boxoffice/observability';
import { OutboxRelays, SERVICE_IDENTITY, type ServiceIdentity } from '@boxoffice/platform';
import { OrderStore, type CustomerOrdersPage, type OrderOutcomes, type OrderTransaction, type PassedStep, type PlaceOutcome, type SagaInFlight, type SagasInState, type StoredOrder } from '../../application/ports/order-store.port.js';
import { SAGA_SETTINGS } from '../../application/saga-settings.js';
import { ORDER_CONFIRMED, ORDER_REFUNDED, ORDER_REJECTED, Order, type OrderState, type OrderStatus, type OrderStep } from '../../domain/order/order.aggregate.js';
import type { Money, PricedSeat, SagaCommand } from '../../domain/order/saga-messages.js';
import { SagaMetrics } from '../metrics/saga-metrics.js';
import { ORDER_SETTLED_CHANNEL } from './postgres-order-settlements.js';

const CONSUMER = 'ordering';
const EVENT_CONTRACTS: Record<string, EventContract> = {
  [ORDER_CONFIRMED]: OrderConfirmedV1,
  [ORDER_REJECTED]: OrderRejectedV1,
  [ORDER_REFUNDED]: OrderRefundedV1,
};

interface OrderRow {
  order_id: string;
  version: number;
  fingerprint: string;
  customer_id: string;
  customer_email: string;
  show_id: string;
  seat_ids: string[];
  callback_url: string | null;
  status: OrderStatus;
  rejection_reason: string | null;
  seats: PricedSeat[];
  total: Money | null;
  payment_id: string | null;
  show_cancelled: boolean;
}

/** The columns OrderRow reads, named rather than `*` so that a migration adding one changes no result (ADR 0016). */
const ORDER_COLUMNS =
  'order_id, version, fingerprint, customer_id, customer_email, show_id, seat_ids, callback_url, status, rejection_reason, seats, total, payment_id, show_cancelled';

/** What a read adds to OrderRow: when the order was placed, and its saga history as stored (`at` as JSON text). */
interface ReadRow extends OrderRow {
  placed_at: Date;
  trace_id: string | null;
  history: { status: OrderStatus; reason: string | null; at: string }[];
}

/** A read's columns: the order's, and what only a reader needs (a change never loads the history). */
const READ_COLUMNS = `${ORDER_COLUMNS}, placed_at, history, trace_id`;

/** placed_at to the microsecond, as text that sorts as it does: a customer's pages go on from exactly there. */
const PLACED_KEY = `to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The JSON array of history entries for the steps in parameters $statuses and
 * $reasons (text arrays of one length), each stamped with the database's
 * clock (the transaction's `now()`, like placed_at and the step deadlines).
 */
function stepsJson(statuses: number, reasons: number): string {
  return `(SELECT coalesce(jsonb_agg(jsonb_build_object('status', s.status, 'reason', s.reason, 'at', now()) ORDER BY s.n), '[]'::jsonb)
           FROM unnest($${statuses}::text[], $${reasons}::text[]) WITH ORDINALITY AS s(status, reason, n))`;
}

function stepParameters(steps: OrderStep[]): [string[], (string | null)[]] {
  return [steps.map((step) => step.status), steps.map((step) => step.reason)];
}

/** Orders live on the shard of their id; every change stages its saga messages in the same transaction. */
@Injectable()
export class PostgresOrderStore extends OrderStore {
  constructor(
    private readonly router: ShardRouter,
    private readonly relays: OutboxRelays,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    @Inject(SAGA_SETTINGS) private readonly settings: { stepTimeoutSeconds: number },
    private readonly metrics: SagaMetrics,
  ) {
    super();
  }

  async place(order: Order, fingerprint: string, causal: CausalContext): Promise<PlaceOutcome> {
    const state = order.snapshot();
    // Ordering is CP: the commit waits for a synchronous standby, and answers 503 if it cannot within
    // DB_WRITE_TIMEOUT_MS. The client's retry with the same Idempotency-Key is then safe whatever became of
    // this attempt, because the order id is derived from (customer, key) and the insert is ON CONFLICT DO
    // NOTHING: if this commit never happened the retry places the order; if it landed locally (the wait was
    // only for the standby), the retry waits for it or finds it and answers with that same order, never a second.
    const writer = this.router.writerForKey(order.id);
    const outcome = await writer.transaction(async (manager): Promise<PlaceOutcome> => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO orders (order_id, version, fingerprint, customer_id, customer_email, show_id, seat_ids, callback_url, status, step_deadline, history, trace_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + make_interval(secs => $10), ${stepsJson(11, 12)}, $13)
         ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
        [
          state.id,
          state.version,
          fingerprint,
          state.customerId,
          state.customerEmail,
          state.showId,
          state.seatIds,
          state.callbackUrl,
          state.status,
          this.settings.stepTimeoutSeconds,
          ...stepParameters(order.pullSteps()),
          // The trace of the request placing it (the gateway's POST /orders), for the console's link (docs/adr/0044).
          traceFields().traceId ?? null,
        ],
      );
      if (inserted.length === 0) {
        const [row]: OrderRow[] = await manager.query(`SELECT ${ORDER_COLUMNS} FROM orders WHERE order_id = $1`, [order.id]);
        return { created: false, existing: toOrder(row), fingerprint: row.fingerprint };
      }
      await this.stageOutgoing(manager, order, causal);
      return { created: true };
    });
    if (outcome.created) this.relays.wake(writer.shard);
    return outcome;
  }

  async handleOnce(orderId: string, message: ConsumedMessage, work: (orders: OrderTransaction) => Promise<void>): Promise<'processed' | 'duplicate'> {
    const writer = this.router.writerForKey(orderId);
    const outcome = await processOnce(writer, CONSUMER, message, (manager) => work(this.transaction(manager)));
    // A duplicate staged nothing.
    if (outcome === 'processed') this.relays.wake(writer.shard);
    return outcome;
  }

  async change<T>(orderId: string, work: (orders: OrderTransaction) => Promise<T>): Promise<T> {
    const writer = this.router.writerForKey(orderId);
    const outcome = await writer.transaction((manager) => work(this.transaction(manager)));
    this.relays.wake(writer.shard);
    return outcome;
  }

  async timeOutDue(limit: number, work: (order: Order) => void): Promise<number> {
    // Deadlines are per row, so every shard is swept, one after the other.
    let timedOut = 0;
    for (const writer of this.router.everyWriter()) timedOut += await this.timeOutDueOn(writer, limit, work);
    return timedOut;
  }

  private async timeOutDueOn(writer: ShardWriter, limit: number, work: (order: Order) => void): Promise<number> {
    const timedOut = await writer.transaction(async (manager) => {
      // SKIP LOCKED: replicas share the sweep, and an order busy with a reply is simply left for the next round.
      // A step counts from when its command left, not from when it was staged: an order with a message still in
      // the outbox (ordering went down before its relay sent it), or sent less than a step's time ago, is not due
      // yet (ADR 0040). Both on the shard's clock; the outbox's partial indexes find those few rows.
      const rows: OrderRow[] = await manager.query(
        `SELECT ${ORDER_COLUMNS} FROM orders
          WHERE step_deadline < now()
            AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.message_key = orders.order_id::text
                              AND (outbox.published_at IS NULL OR outbox.published_at > now() - make_interval(secs => $2)))
          ORDER BY step_deadline LIMIT $1 FOR UPDATE OF orders SKIP LOCKED`,
        [limit, this.settings.stepTimeoutSeconds],
      );
      // The rows were read (and locked) just above; a timed-out step's age is not measured.
      const orders = this.transaction(manager, new Map(rows.map((row) => [row.order_id, { status: row.status, stepSeconds: null }])));
      for (const row of rows) {
        const order = toOrder(row);
        work(order);
        await orders.save(order, { correlationId: order.id, causationId: null });
      }
      return rows.length;
    });
    if (timedOut > 0) this.relays.wake(writer.shard);
    return timedOut;
  }

  async findById(orderId: string): Promise<StoredOrder | undefined> {
    const [row]: ReadRow[] = await this.router.forKey(orderId).query(`SELECT ${READ_COLUMNS} FROM orders WHERE order_id = $1`, [orderId]);
    return row ? toStoredOrder(row) : undefined;
  }

  async findByCustomer(customerId: string, limit: number, after?: string): Promise<CustomerOrdersPage | undefined> {
    // The page goes on after the order `after`, wherever its shard: first where it stands in the list (to the microsecond).
    let from: [string, string] | undefined;
    if (after !== undefined) {
      const [anchor]: { customer_id: string; placed_key: string }[] = await this.router.forKey(after).query(`SELECT customer_id, ${PLACED_KEY} AS placed_key FROM orders WHERE order_id = $1`, [after]);
      if (!anchor || anchor.customer_id !== customerId) return undefined;
      from = [anchor.placed_key, after];
    }
    // Scatter-gather: orders live on the shard of their id, so a customer's orders are on every shard (docs/adr/0039).
    // Each shard gives its newest `limit + 1` past the anchor (one backward scan of orders_by_customer_newest); the
    // merge keeps the newest `limit`, and one more found anywhere means another page follows.
    const sql = from
      ? `SELECT ${READ_COLUMNS}, ${PLACED_KEY} AS placed_key FROM orders
         WHERE customer_id = $1 AND (placed_at, order_id) < ($3::timestamptz, $4::uuid) ORDER BY placed_at DESC, order_id DESC LIMIT $2`
      : `SELECT ${READ_COLUMNS}, ${PLACED_KEY} AS placed_key FROM orders WHERE customer_id = $1 ORDER BY placed_at DESC, order_id DESC LIMIT $2`;
    const perShard = await Promise.all(this.router.all().map((shard) => shard.query(sql, [customerId, limit + 1, ...(from ?? [])]) as Promise<(ReadRow & { placed_key: string })[]>));
    const newestFirst = perShard.flat().sort((a, b) => compareDescending(a.placed_key, b.placed_key) || compareDescending(a.order_id, b.order_id));
    const page = newestFirst.slice(0, limit);
    return { orders: page.map(toStoredOrder), next: newestFirst.length > limit ? page[page.length - 1]!.order_id : null };
  }

  async findByShow(showId: string, limit: number): Promise<Order[]> {
    // Scatter-gather: orders live on the shard of their id, so a show's orders are on every shard (docs/adr/0026).
    const perShard = await Promise.all(
      this.router
        .all()
        .map((shard) => shard.query(`SELECT ${ORDER_COLUMNS}, placed_at FROM orders WHERE show_id = $1 ORDER BY placed_at, order_id LIMIT $2`, [showId, limit]) as Promise<(OrderRow & { placed_at: Date })[]>),
    );
    return perShard
      .flat()
      .sort((a, b) => a.placed_at.getTime() - b.placed_at.getTime() || a.order_id.localeCompare(b.order_id))
      .slice(0, limit)
      .map(toOrder);
  }

  async countInFlight(): Promise<SagasInState[]> {
    // Unsettled orders are exactly those with a step deadline: the partial index orders_due holds only them.
    const perShard = await Promise.all(
      this.router
        .all()
        .map(
          (shard) =>
            shard.query(`SELECT status, count(*)::int AS count, min(placed_at) AS oldest FROM orders WHERE step_deadline IS NOT NULL GROUP BY status`) as Promise<
              { status: OrderStatus; count: number; oldest: Date }[]
            >,
        ),
    );
    const byState = new Map<OrderStatus, SagasInState>();
    for (const row of perShard.flat()) {
      const known = byState.get(row.status);
      if (!known) byState.set(row.status, { state: row.status, count: row.count, oldestPlacedAt: row.oldest });
      else byState.set(row.status, { state: row.status, count: known.count + row.count, oldestPlacedAt: known.oldestPlacedAt < row.oldest ? known.oldestPlacedAt : row.oldest });
    }
    return [...byState.values()];
  }

  async oldestInFlight(limit: number): Promise<SagaInFlight[]> {
    const perShard = await Promise.all(
      this.router
        .all()
        .map(
          (shard) =>
            shard.query(`SELECT order_id, status, placed_at, trace_id FROM orders WHERE step_deadline IS NOT NULL ORDER BY placed_at, order_id LIMIT $1`, [limit]) as Promise<
              { order_id: string; status: OrderStatus; placed_at: Date; trace_id: string | null }[]
            >,
        ),
    );
    return perShard
      .flat()
      .sort((a, b) => a.placed_at.getTime() - b.placed_at.getTime() || a.order_id.localeCompare(b.order_id))
      .slice(0, limit)
      .map((row) => ({ orderId: row.order_id, state: row.status, placedAt: row.placed_at, traceId: row.trace_id }));
  }

  async countOutcomes(): Promise<OrderOutcomes> {
    // 64 small rows per shard, kept by the triggers of migration 1764000000300, read on the primary: the
    // standby that takes over had every counted commit (ordering's commits wait for it), so the sums never go back.
    const perShard = await Promise.all(
      this.router
        .all()
        .map(
          (shard) =>
            shard.query(
              `SELECT coalesce(sum(placed), 0)::text AS placed, coalesce(sum(confirmed), 0)::text AS confirmed, coalesce(sum(rejected), 0)::text AS rejected FROM order_outcome_counts`,
            ) as Promise<{ placed: string; confirmed: string; rejected: string }[]>,
        ),
    );
    const total: OrderOutcomes = { placed: 0, confirmed: 0, rejected: 0 };
    for (const [row] of perShard) {
      total.placed += Number(row!.placed);
      total.confirmed += Number(row!.confirmed);
      total.rejected += Number(row!.rejected);
    }
    return total;
  }

  /** `loaded` remembers, for the saga metrics, each order's status and step age as this transaction read them. */
  private transaction(manager: EntityManager, loaded = new Map<string, Loaded>()): OrderTransaction {
    return {
      load: async (orderId) => {
        // The step began when its deadline was set (now + the step timeout): its age goes to the step histogram.
        const [row]: (OrderRow & { step_seconds: number | null })[] = await manager.query(
          `SELECT ${ORDER_COLUMNS}, extract(epoch FROM now() - step_deadline)::float8 + $2 AS step_seconds FROM orders WHERE order_id = $1 FOR UPDATE`,
          [orderId, this.settings.stepTimeoutSeconds],
        );
        if (!row) return undefined;
        loaded.set(orderId, { status: row.status, stepSeconds: row.step_seconds });
        return toOrder(row);
      },
      save: async (order, causal) => {
        if (order.hasChanges) {
          await this.update(manager, order);
          const before = loaded.get(order.id);
          const state = order.snapshot();
          if (before !== undefined && state.status !== before.status) {
            const reason = state.status === 'refunded' ? (state.showCancelled ? 'show-cancelled' : 'requested') : state.rejectionReason;
            // Counted once this transaction commits: never for a change that does not, once for one redone.
            afterCommit(manager, () => this.metrics.moved(before.status, state.status, before.stepSeconds, reason));
          }
        }
        await this.stageOutgoing(manager, order, causal);
      },
    };
  }

  /** Optimistic as well as locked: a version that moved underneath us is a bug worth failing loudly on. */
  private async update(manager: EntityManager, order: Order): Promise<void> {
    const state = order.snapshot();
    // The steps the order entered are appended to its history by the statement that changes its status: no read, no other row.
    const [, affected] = await manager.query(
      `UPDATE orders SET version = $3, status = $4, rejection_reason = $5, seats = $6, total = $7, payment_id = $8, show_cancelled = $11,
         step_deadline = CASE WHEN $9 THEN NULL ELSE now() + make_interval(secs => $10) END,
         history = CASE WHEN cardinality($12::text[]) = 0 THEN history ELSE history || ${stepsJson(12, 13)} END
       WHERE order_id = $1 AND version = $2`,
      [
        order.id,
        order.expectedVersion,
        state.version,
        state.status,
        state.rejectionReason,
        JSON.stringify(state.seats),
        state.total ? JSON.stringify(state.total) : null,
        state.paymentId,
        order.isSettled,
        this.settings.stepTimeoutSeconds,
        state.showCancelled,
        ...stepParameters(order.pullSteps()),
      ],
    );
    if (affected !== 1) throw new ConcurrentChangeError(order.id, order.expectedVersion);
    order.markStored();
    // Heard by whoever waits for this order (a long poll), once this transaction commits, never if it rolls back.
    if (order.isSettled) await notifyOnCommit(manager, ORDER_SETTLED_CHANNEL, order.id);
  }

  private async stageOutgoing(manager: EntityManager, order: Order, causal: CausalContext): Promise<void> {
    for (const command of order.pullCommands()) {
      const [contract, payload] = toCommandMessage(order, command);
      await stageMessage(manager, contract, messageFor(contract, payload, { id: order.id, version: order.version }, this.identity, causal));
    }
    for (const event of order.pullEvents()) {
      const contract = EVENT_CONTRACTS[event.type];
      await stageMessage(manager, contract, envelopeFor(contract, event, this.identity, causal));
    }
  }
}

function toCommandMessage(order: Order, command: SagaCommand): [EventContract, SeatCommand | PaymentCommand] {
  const { id: orderId, showId, customerId } = order.snapshot();
  switch (command.command) {
    case 'hold':
      return [SeatCommandV1, { command: 'hold', orderId, showId, seatIds: command.seatIds, holdSeconds: command.holdSeconds }];
    case 'confirm':
    case 'release':
      return [SeatCommandV1, { command: command.command, orderId, showId }];
    case 'authorize':
      return [PaymentCommandV1, { command: 'authorize', orderId, customerId, amount: command.amount }];
    case 'capture':
    case 'void':
    case 'refund':
      return [PaymentCommandV1, { command: command.command, orderId }];
  }
}

function toOrder(row: OrderRow): Order {
  const state: OrderState = {
    id: row.order_id,
    version: row.version,
    customerId: row.customer_id,
    customerEmail: row.customer_email,
    showId: row.show_id,
    seatIds: row.seat_ids,
    callbackUrl: row.callback_url,
    status: row.status,
    rejectionReason: row.rejection_reason,
    seats: row.seats,
    total: row.total,
    paymentId: row.payment_id,
    showCancelled: row.show_cancelled,
  };
  return Order.restore(state);
}

function toStoredOrder(row: ReadRow): StoredOrder {
  const history: PassedStep[] = row.history.map((step) => ({ status: step.status, reason: step.reason, at: new Date(step.at) }));
  return { order: toOrder(row), placedAt: row.placed_at, history, traceId: row.trace_id };
}

function compareDescending(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

/** What a transaction read of an order before changing it, for the saga metrics. */
interface Loaded {
  status: OrderStatus;
  /** Seconds since the current step began; null when settled, or not measured (a step that timed out). */
  stepSeconds: number | null;
}
