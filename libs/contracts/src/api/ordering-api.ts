import { z } from 'zod';
import { boundedInt, Money, SeatIds } from '../shared-schemas.js';
import { TraceIdParam } from './trace-api.js';

/**
 * The callback URL's pattern says in the OpenAPI document what the URL check
 * accepts, so a client (or a fuzzer) can build one that passes: any string it
 * matches is an http(s) URL the WHATWG parser takes. A host name's last label
 * starts with a letter (else the parser reads it as an IPv4 address) and no
 * label is punycode; an IPv4 address has octets up to 255; a port is at most
 * 65535; a path and a query of unreserved characters may follow.
 */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const PORT = '(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
const HOST = `(?:(?:(?!xn--)[a-z0-9-]+\\.)*(?!xn--)[a-z][a-z0-9-]*|(?:${OCTET}\\.){3}${OCTET})`;
const CALLBACK_URL = new RegExp(`^https?://${HOST}(?::${PORT})?(?:/[A-Za-z0-9._~%/-]*)?(?:\\?[A-Za-z0-9._~%&=/-]*)?$`);

const CALLBACK_URL_MESSAGE = 'an http(s) URL with a host name or IPv4 address';

/** Whether the WHATWG parser, the one notifications calls with, takes it as an http(s) URL. */
const parsesAsHttpUrl = (value: string): boolean => /^https?:$/.test(URL.parse(value)?.protocol ?? '');

// ASCII only, so it needs no Text check (one pattern, not two: a fuzzer draws values for one far faster).
// Each check stops at its first refusal, so a bad URL gets one error, not one per check; the last
// only guards the pattern's promise that the parser takes what it matches.
const CallbackUrl = z
  .string()
  .max(2000, { message: 'at most 2000 characters', abort: true })
  .regex(CALLBACK_URL, { message: CALLBACK_URL_MESSAGE, abort: true })
  .refine(parsesAsHttpUrl, CALLBACK_URL_MESSAGE);

/** What a buyer posts to the gateway (with an Idempotency-Key header). */
export const PlaceOrderRequest = z
  .object({
    showId: z.uuid(),
    seatIds: SeatIds,
    /** Called once the order is settled (confirmed or rejected); must be on the webhook allow-list. */
    callbackUrl: CallbackUrl.optional(),
  })
  .strict();
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>;

/** Idempotency keys are the client's: any printable token, bounded. */
export const IdempotencyKey = z.string().min(8).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/**
 * What the gateway forwards to ordering: the request plus its idempotency
 * key. Who is asking is not in the body: ordering takes it from the caller
 * token the gateway signed (ADR 0017).
 */
export const PlaceOrderCommand = PlaceOrderRequest.extend({
  idempotencyKey: IdempotencyKey,
}).strict();
export type PlaceOrderCommand = z.infer<typeof PlaceOrderCommand>;

export const OrderStatus = z.enum([
  'holding-seats',
  'authorizing-payment',
  'confirming-seats',
  'capturing-payment',
  'voiding-payment',
  'releasing-seats',
  'confirmed',
  'rejected',
  'refunding',
  'refunded',
]);

export const OrderView = z.object({
  orderId: z.uuid(),
  customerId: z.string(),
  showId: z.uuid(),
  seatIds: z.array(z.string()),
  status: OrderStatus,
  /** True while no saga step is in flight (confirmed, rejected or refunded); only a refund moves a confirmed order again. */
  settled: z.boolean(),
  rejectionReason: z.string().nullable(),
  seats: z.array(z.object({ seatId: z.string(), price: Money })),
  total: Money.nullable(),
  callbackUrl: z.string().nullable(),
});
export type OrderView = z.infer<typeof OrderView>;
export type OrderStatus = z.infer<typeof OrderStatus>;

/**
 * A step of the saga the order went through: the state it entered, when (by
 * ordering's database clock, for display: not comparable with other
 * contexts' clocks) and, for a step taken because something failed or was
 * refused, why (`payment-declined: …`, `seat-hold-expired`, `show-cancelled`…).
 */
export const OrderStep = z.object({
  status: OrderStatus,
  at: z.iso.datetime(),
  reason: z.string().nullable(),
});
export type OrderStep = z.infer<typeof OrderStep>;

/**
 * An order as `GET /orders/:id` and the lists of a customer's orders read
 * it: the order, when it was placed, and every saga step it passed, oldest
 * first, its current state last (empty for orders placed before ordering
 * kept the history).
 */
export const OrderDetailsView = OrderView.extend({
  placedAt: z.iso.datetime(),
  history: z.array(OrderStep),
  /**
   * The trace of the request that placed the order (its checkout), for a
   * link to it; null when it was placed untraced or before ordering kept it
   * (docs/adr/0044).
   */
  traceId: TraceIdParam.nullable(),
});
export type OrderDetailsView = z.infer<typeof OrderDetailsView>;

/** The longest a `GET /orders/:id` may be asked to wait for the order to settle (`Prefer: wait=N`). */
export const MAX_ORDER_WAIT_SECONDS = 20;

/**
 * The `wait` preference of a `Prefer` header (RFC 7240 §4.3), in whole
 * seconds, capped at `maxSeconds`; 0 when there is none. A preference the
 * server cannot read is ignored, as the RFC asks, rather than refused.
 */
export function preferredWaitSeconds(header: string | string[] | undefined, maxSeconds = MAX_ORDER_WAIT_SECONDS): number {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const preference of values.flatMap((value) => value.split(','))) {
    const [name, rawValue] = (preference.split(';')[0] ?? '').split('=').map((part) => part.trim());
    if (name?.toLowerCase() !== 'wait' || rawValue === undefined) continue;
    const seconds = /^"?(\d{1,9})"?$/.exec(rawValue)?.[1];
    if (seconds !== undefined) return Math.min(Number(seconds), maxSeconds);
  }
  return 0;
}

/** The `Prefer` header value (and the `Preference-Applied` one) asking to wait `seconds`. */
export function waitPreference(seconds: number): string {
  return `wait=${seconds}`;
}

/** The most orders `GET /shows/:id/orders` lists; `truncated` says when a show has more. */
export const MAX_SHOW_ORDERS = 1000;

/** A show's orders, oldest first, with their state: what an admin looks at once a show is cancelled. */
export const ShowOrdersView = z.object({
  showId: z.uuid(),
  orders: z.array(OrderView),
  truncated: z.boolean(),
});
export type ShowOrdersView = z.infer<typeof ShowOrdersView>;

/** How many orders a page of `GET /me/orders` lists unless `limit` says otherwise, and the most it lists. */
export const DEFAULT_CUSTOMER_ORDERS = 20;
export const MAX_CUSTOMER_ORDERS = 100;

/** `?limit=` of a page of a customer's orders: 1 to 100, 20 when absent. */
export const CustomerOrdersLimit = boundedInt(z.coerce.number(), 1, MAX_CUSTOMER_ORDERS).optional();

/**
 * A page of one customer's orders, newest first (by ordering's clock when
 * each was placed). `next` is the `after` of the following page, null when
 * there are no older orders.
 */
export const CustomerOrdersView = z.object({
  customerId: z.string(),
  orders: z.array(OrderDetailsView),
  next: z.uuid().nullable(),
});
export type CustomerOrdersView = z.infer<typeof CustomerOrdersView>;
