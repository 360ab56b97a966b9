import pg from 'pg';
import { BucketMap, type BucketMapDefinition } from '../../libs/persistence/src/bucket-map.js';

/**
 * The system's promises, checked against every context's own data on every
 * shard: no seat sold twice or to a stranger, every sold seat has a confirmed
 * order, a captured payment and one valid ticket; failed orders hold nothing;
 * a cancelled show keeps no sale (no confirmed order, no valid ticket); the
 * ledger balances; no event is stuck in an outbox. Used after load and
 * fault runs, by end-to-end tests (scoped to their shows) and as a command.
 */
export interface ShardUrls {
  primary: string;
  replicas: string[];
}

export interface InvariantInput {
  databases: Record<string, ShardUrls[]>;
  bucketMap: BucketMapDefinition;
  /** Only these shows (tests share a stack); every show when omitted. */
  showIds?: string[];
  /** An outbox row unpublished for longer than this is a violation. */
  outboxLagSeconds?: number;
}

export interface Violation {
  rule: string;
  detail: string;
}

interface SeatRow {
  show_id: string;
  seat_id: string;
  status: 'free' | 'held' | 'sold';
  order_id: string | null;
}
interface OrderRow {
  order_id: string;
  show_id: string;
  status: string;
  seat_ids: string[];
}
interface TicketRow {
  show_id: string;
  seat_id: string;
  order_id: string;
  status: 'valid' | 'void';
}
interface IntentRow {
  order_id: string;
  status: string;
}

const SETTLED_FAILURES = new Set(['rejected', 'refunded']);

export async function checkInvariants(input: InvariantInput): Promise<Violation[]> {
  const violations: Violation[] = [];
  const flag = (rule: string, detail: string) => violations.push({ rule, detail });
  const buckets = new BucketMap(input.bucketMap);
  const showFilter = input.showIds ? { sql: 'WHERE show_id = ANY($1::uuid[])', params: [input.showIds] } : { sql: '', params: [] };

  const seats = await everywhere<SeatRow>(input.databases.inventory, `SELECT show_id, seat_id, status, order_id FROM seats ${showFilter.sql}`, showFilter.params);
  const orders = await everywhere<OrderRow>(input.databases.ordering, `SELECT order_id, show_id, status, seat_ids FROM orders ${showFilter.sql}`, showFilter.params);
  const tickets = await everywhere<TicketRow>(input.databases.ticketing, `SELECT show_id, seat_id, order_id, status FROM tickets ${showFilter.sql}`, showFilter.params);
  const cancelledShows = new Set(
    (await everywhere<{ show_id: string }>(input.databases.inventory, `SELECT show_id FROM cancelled_shows ${showFilter.sql}`, showFilter.params)).map((c) => c.show_id),
  );
  const intents = await everywhere<IntentRow>(
    input.databases.payments,
    'SELECT order_id, status FROM payment_intents WHERE order_id = ANY($1::uuid[])',
    [orders.map((o) => o.order_id)],
  );

  // Each row must live on the shard its key's bucket names.
  await checkPlacement(input.databases.inventory, buckets, 'seats', 'show_id', showFilter, flag);
  await checkPlacement(input.databases.ordering, buckets, 'orders', 'order_id', showFilter, flag);

  const orderById = new Map(orders.map((o) => [o.order_id, o]));
  const intentByOrder = new Map(intents.map((i) => [i.order_id, i]));
  const seatKey = (showId: string, seatId: string) => `${showId}/${seatId}`;
  const seatByKey = new Map(seats.map((s) => [seatKey(s.show_id, s.seat_id), s]));
  if (seatByKey.size !== seats.length) flag('one-row-per-seat', 'a seat appears twice in inventory');

  for (const seat of seats) {
    if (seat.status === 'free') continue;
    const order = seat.order_id ? orderById.get(seat.order_id) : undefined;
    const where = `seat ${seat.seat_id} of show ${seat.show_id}`;
    if (!order) {
      flag('seat-owner-is-an-order', `${where} is ${seat.status} by ${seat.order_id}, which is no order`);
      continue;
    }
    if (!order.seat_ids.includes(seat.seat_id)) flag('seat-owner-asked-for-it', `${where} is ${seat.status} by order ${order.order_id}, which did not ask for it`);
    if (seat.status === 'sold' && order.status !== 'confirmed') flag('sold-seat-has-confirmed-order', `${where} is sold to order ${order.order_id}, which is ${order.status}`);
    if (seat.status === 'held' && (order.status === 'confirmed' || SETTLED_FAILURES.has(order.status))) {
      flag('settled-orders-hold-nothing', `${where} is still held by order ${order.order_id}, which is ${order.status}`);
    }
  }

  const validTickets = tickets.filter((t) => t.status === 'valid');
  for (const ticket of validTickets) {
    if (cancelledShows.has(ticket.show_id)) flag('cancelled-shows-keep-no-sales', `seat ${ticket.seat_id} of cancelled show ${ticket.show_id} has a valid ticket of order ${ticket.order_id}`);
  }
  const ticketsBySeat = new Map<string, TicketRow[]>();
  for (const ticket of validTickets) ticketsBySeat.set(seatKey(ticket.show_id, ticket.seat_id), [...(ticketsBySeat.get(seatKey(ticket.show_id, ticket.seat_id)) ?? []), ticket]);
  for (const [key, list] of ticketsBySeat) {
    if (list.length > 1) flag('one-ticket-per-seat', `seat ${key} has ${list.length} valid tickets`);
    const seat = seatByKey.get(key);
    if (!seat || seat.status !== 'sold' || seat.order_id !== list[0].order_id) flag('tickets-only-for-sold-seats', `seat ${key} has a valid ticket of order ${list[0].order_id} but is ${seat?.status ?? 'unknown'} to ${seat?.order_id ?? 'nobody'}`);
  }

  for (const order of orders) {
    const intent = intentByOrder.get(order.order_id);
    const name = `order ${order.order_id} (${order.status})`;
    if (order.status === 'confirmed') {
      for (const seatId of order.seat_ids) {
        const seat = seatByKey.get(seatKey(order.show_id, seatId));
        if (seat?.status !== 'sold' || seat.order_id !== order.order_id) flag('confirmed-orders-own-their-seats', `${name}: seat ${seatId} is ${seat?.status ?? 'missing'}`);
        if (!ticketsBySeat.get(seatKey(order.show_id, seatId))?.some((t) => t.order_id === order.order_id)) flag('confirmed-orders-have-tickets', `${name}: no valid ticket for seat ${seatId}`);
      }
      if (intent?.status !== 'captured') flag('confirmed-orders-are-paid', `${name}: payment is ${intent?.status ?? 'missing'}`);
    }
    if (cancelledShows.has(order.show_id) && order.status === 'confirmed') flag('cancelled-shows-keep-no-sales', `${name}: its show ${order.show_id} is cancelled`);
    if (SETTLED_FAILURES.has(order.status)) {
      // A rejected order's payment was declined or voided (or never asked); a refunded one's was refunded.
      if (intent && ['authorized', 'captured'].includes(intent.status)) flag('failed-orders-hold-no-money', `${name}: payment is ${intent.status}`);
      if (validTickets.some((t) => t.order_id === order.order_id)) flag('failed-orders-have-no-tickets', `${name} has valid tickets`);
    }
  }

  for (const { currency, sum } of await everywhere<{ currency: string; sum: string }>(input.databases.payments, 'SELECT currency, sum(amount_minor)::text AS sum FROM ledger_entries GROUP BY currency', [])) {
    if (BigInt(sum) !== 0n) flag('ledger-balances', `ledger entries in ${currency} sum to ${sum}`);
  }

  const lag = input.outboxLagSeconds ?? 60;
  for (const [context, shards] of Object.entries(input.databases)) {
    const stuck = await everywhere<{ count: string }>(shards, `SELECT count(*)::text AS count FROM outbox WHERE published_at IS NULL AND created_at < now() - make_interval(secs => $1)`, [lag]);
    const total = stuck.reduce((sum, row) => sum + Number(row.count), 0);
    if (total > 0) flag('outbox-drains', `${context}: ${total} message(s) unpublished for over ${lag} s`);
  }
  return violations;
}

async function checkPlacement(
  shards: ShardUrls[],
  buckets: BucketMap,
  table: string,
  key: string,
  filter: { sql: string; params: unknown[] },
  flag: (rule: string, detail: string) => void,
): Promise<void> {
  for (let shard = 0; shard < shards.length; shard++) {
    const rows = await query<{ key: string }>(shards[shard].primary, `SELECT DISTINCT ${key}::text AS key FROM ${table} ${filter.sql}`, filter.params);
    for (const { key: value } of rows) {
      if (buckets.shardOf(value) !== shard) flag('rows-on-their-shard', `${table} row with ${key} ${value} is on shard ${shard}, its bucket maps to ${buckets.shardOf(value)}`);
    }
  }
}

async function everywhere<T>(shards: ShardUrls[], sql: string, params: unknown[]): Promise<T[]> {
  return (await Promise.all(shards.map((shard) => query<T>(shard.primary, sql, params)))).flat();
}

async function query<T>(url: string, sql: string, params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
