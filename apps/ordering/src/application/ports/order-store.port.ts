import type { CausalContext, ConsumedMessage } from '@boxoffice/messaging';
import type { Order, OrderStatus, OrderStep } from '../../domain/order/order.aggregate.js';

/** An order loaded for change inside one transaction on its shard. */
export interface OrderTransaction {
  /** Loads and locks the order (concurrent replies to one order queue up here). */
  load(orderId: string): Promise<Order | undefined>;
  /**
   * Writes the order if it changed (only over the version it was loaded
   * with) and stages its commands and events in this transaction's outbox.
   */
  save(order: Order, causal: CausalContext): Promise<void>;
}

/** One saga under way: its order, state, when it was placed, and the trace of the request that placed it (null when untraced). */
export interface SagaInFlight {
  orderId: string;
  state: OrderStatus;
  placedAt: Date;
  traceId: string | null;
}

/** How many orders are in one state of the saga, and since when the oldest of them was placed. */
export interface SagasInState {
  state: OrderStatus;
  count: number;
  oldestPlacedAt: Date;
}

/** A step of an order's saga history, stamped with when its store wrote it (its database's clock). */
export interface PassedStep extends OrderStep {
  at: Date;
}

/** An order as it is read, not changed: with when it was placed and the saga steps it passed, oldest first. */
export interface StoredOrder {
  order: Order;
  placedAt: Date;
  history: PassedStep[];
  /** The trace of the request that placed it; null when it was placed untraced (docs/adr/0044). */
  traceId: string | null;
}

/** A page of a customer's orders, newest first; `next` is the last one's id when older ones follow. */
export interface CustomerOrdersPage {
  orders: StoredOrder[];
  next: string | null;
}

/** How many orders were placed, confirmed and rejected since the database began: counts that only ever grow. */
export interface OrderOutcomes {
  placed: number;
  confirmed: number;
  rejected: number;
}

export type PlaceOutcome = { created: true } | { created: false; existing: Order; fingerprint: string };

export abstract class OrderStore {
  /**
   * Stores a new order unless one with its id exists (the id is derived from
   * the idempotency key): then the existing one is returned, untouched.
   */
  abstract place(order: Order, fingerprint: string, causal: CausalContext): Promise<PlaceOutcome>;

  /** Runs `work` once per message, in one transaction with the inbox row, on the order's shard. */
  abstract handleOnce(orderId: string, message: ConsumedMessage, work: (orders: OrderTransaction) => Promise<void>): Promise<'processed' | 'duplicate'>;

  /** Runs `work` in one transaction on the order's shard: a change asked for directly, not caused by a message. */
  abstract change<T>(orderId: string, work: (orders: OrderTransaction) => Promise<T>): Promise<T>;

  /**
   * Hands orders whose step deadline passed to `work`, saving what it
   * changes, in transactions of at most `limit` orders; returns how many.
   * A step counts from when its command was sent: an order whose last
   * command has not been sent, or only lately, is not due yet.
   */
  abstract timeOutDue(limit: number, work: (order: Order) => void): Promise<number>;

  abstract findById(orderId: string): Promise<StoredOrder | undefined>;

  /**
   * A customer's orders, newest first, at most `limit`, following the order
   * `after` (the `next` of the page before). Orders live on the shard of
   * their id, so every shard is asked. Undefined when `after` is not one of
   * the customer's orders.
   */
  abstract findByCustomer(customerId: string, limit: number, after?: string): Promise<CustomerOrdersPage | undefined>;

  /** A show's orders, oldest first, at most `limit`: they are spread over every shard, so every shard is asked. */
  abstract findByShow(showId: string, limit: number): Promise<Order[]>;

  /**
   * Orders whose saga has not settled (a checkout or a refund under way),
   * counted by state on every shard, with the oldest one's placing time.
   */
  abstract countInFlight(): Promise<SagasInState[]>;

  /** The `limit` orders whose saga has not settled that were placed first, over every shard, oldest first. */
  abstract oldestInFlight(limit: number): Promise<SagaInFlight[]>;

  /**
   * How many orders every shard has placed, confirmed (refunded later or not)
   * and rejected since it began, summed: counters kept by the database in the
   * transaction that placed or settled each order (docs/adr/0038).
   */
  abstract countOutcomes(): Promise<OrderOutcomes>;
}
