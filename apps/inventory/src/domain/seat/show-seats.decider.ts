import { PriceList, type Money, type PriceTier } from './price-list.js';
import type { Seat, SeatState } from './seat.js';
import { seatsForSale, type PublishedSeat } from './show-on-sale.js';

/*
 * A show's seats, as a decider: the rule "a seat is held or sold by at most
 * one order" and every rule around it, in three pure functions.
 *
 *   decide(command, state) → { events, outcome }   what to change, and what to answer
 *   evolve(state, event)   → state                 what a change does
 *   initialState(showId, now)                      a show nobody has heard of yet
 *
 * A seat moves free → held → sold, or back to free: a hold is released by the
 * saga, runs out (expires), or its show is cancelled and the saga gives up;
 * a sale goes back on sale when its order is refunded. A show is published
 * (its seats go on sale) and may be cancelled, in either order: the two
 * messages travel on different topics, and a cancellation that arrives first
 * keeps the show off sale for good.
 *
 * The state is not the whole show: it is the show's facts plus the seats a
 * command concerns (each command says which), because a show has thousands
 * of seats and a hold touches four. The adapter reads exactly that slice,
 * locked against concurrent commands, and stores the events by writes that
 * repeat each event's precondition (`evolve` checks the same ones), so a
 * write that finds its seat changed fails instead of selling it twice.
 *
 * A refused command changes nothing: its events are empty.
 */

export interface ShowSeatsState {
  showId: string;
  /** Catalog's publication arrived: the seats exist and have prices. */
  published: boolean;
  /** The show was called off: nothing more is held or sold. May be true while `published` is not yet. */
  cancelled: boolean;
  priceTiers: readonly PriceTier[];
  /** The shard's database clock when the state was read: holds run out by it, so no two processes' clocks are compared. */
  now: Date;
  /** The seats the command concerns, in seat order (see each command). */
  seats: readonly SeatState[];
}

export function initialState(showId: string, now: Date): ShowSeatsState {
  return { showId, published: false, cancelled: false, priceTiers: [], now, seats: [] };
}

// Commands, each with the seats it is decided on.

/** Catalog published the show. Decided on: no seats. */
export interface OpenShow {
  type: 'open-show';
  seats: readonly PublishedSeat[];
  priceTiers: readonly PriceTier[];
}

/** The saga holds seats for an order. Decided on: the requested seats that exist. */
export interface HoldSeats {
  type: 'hold-seats';
  orderId: string;
  seatIds: readonly string[];
  holdSeconds: number;
}

/** The saga sells what the order holds (its confirm). Decided on: the seats the order holds or bought. */
export interface SellSeats {
  type: 'sell-seats';
  orderId: string;
}

/** The saga gives an order's hold up. Decided on: the seats the order holds or bought. */
export interface ReleaseSeats {
  type: 'release-seats';
  orderId: string;
}

/** Inventory's own sweep frees holds whose time is up. Decided on: held seats whose hold may have ended. */
export interface ExpireHolds {
  type: 'expire-holds';
}

/** The order was refunded: its seats are for sale again. Decided on: the seats the order holds or bought. */
export interface PutBackOnSale {
  type: 'put-back-on-sale';
  orderId: string;
}

/** Catalog cancelled the show. Decided on: every sold seat of the show. */
export interface StopSales {
  type: 'stop-sales';
}

export type ShowSeatsCommand = OpenShow | HoldSeats | SellSeats | ReleaseSeats | ExpireHolds | PutBackOnSale | StopSales;

// Events: the changes to store, in order.

export type ShowSeatsEvent =
  | { type: 'show-opened'; seats: readonly Seat[]; priceTiers: readonly PriceTier[] }
  | { type: 'seats-held'; orderId: string; seatIds: readonly string[]; until: Date }
  | { type: 'seats-sold'; orderId: string; seatIds: readonly string[] }
  | { type: 'hold-released'; orderId: string; seatIds: readonly string[] }
  | { type: 'hold-expired'; orderId: string; seatIds: readonly string[] }
  | { type: 'seats-put-back-on-sale'; orderId: string; seatIds: readonly string[] }
  | { type: 'sales-stopped' };

// Outcomes: what the command's sender is told.

export interface Decision<Outcome> {
  readonly events: readonly ShowSeatsEvent[];
  readonly outcome: Outcome;
}

export type OpenOutcome = { kind: 'opened' } | { kind: 'refused'; reason: 'invalid-seat-map' | 'show-cancelled' | 'already-open'; message: string };
export type HoldOutcome =
  | { kind: 'held'; seats: { seatId: string; price: Money }[]; total: Money }
  | { kind: 'refused'; reason: 'show-not-on-sale' | 'unknown-seats' | 'seats-unavailable'; seatIds: string[] };
export type SellOutcome = { kind: 'sold'; seatIds: string[] } | { kind: 'refused'; reason: 'hold-expired' | 'show-cancelled' };
/** `showCancelled`: the seats freed belong to a cancelled show, so they are not for sale again (they are withdrawn). */
export type ReleaseOutcome = { kind: 'released'; seatIds: string[]; showCancelled: boolean };
export type ExpireOutcome = { kind: 'expired'; holds: { orderId: string; seatIds: string[] }[]; showCancelled: boolean };
export type PutBackOutcome = { kind: 'back-on-sale'; seatIds: string[] };
export type StopOutcome = { kind: 'stopped'; salesCalledOff: { orderId: string; seatIds: string[] }[] } | { kind: 'already-stopped' };

export function decide(command: OpenShow, state: ShowSeatsState): Decision<OpenOutcome>;
export function decide(command: HoldSeats, state: ShowSeatsState): Decision<HoldOutcome>;
export function decide(command: SellSeats, state: ShowSeatsState): Decision<SellOutcome>;
export function decide(command: ReleaseSeats, state: ShowSeatsState): Decision<ReleaseOutcome>;
export function decide(command: ExpireHolds, state: ShowSeatsState): Decision<ExpireOutcome>;
export function decide(command: PutBackOnSale, state: ShowSeatsState): Decision<PutBackOutcome>;
export function decide(command: StopSales, state: ShowSeatsState): Decision<StopOutcome>;
export function decide(command: ShowSeatsCommand, state: ShowSeatsState): Decision<unknown> {
  switch (command.type) {
    case 'open-show':
      return open(command, state);
    case 'hold-seats':
      return hold(command, state);
    case 'sell-seats':
      return sell(command, state);
    case 'release-seats':
      return release(command, state);
    case 'expire-holds':
      return expire(state);
    case 'put-back-on-sale':
      return putBackOnSale(command, state);
    case 'stop-sales':
      return stopSales(state);
  }
}

/**
 * A published map becomes free seats, once. A show cancelled before its
 * publication arrived never goes on sale. A map naming a seat twice would
 * let two orders share one chair: it is refused whole.
 */
function open(command: OpenShow, state: ShowSeatsState): Decision<OpenOutcome> {
  const forSale = seatsForSale(state.showId, [...command.seats]);
  if (!forSale.ok) return nothingChanges({ kind: 'refused', reason: 'invalid-seat-map', message: forSale.error.message });
  if (state.cancelled) return nothingChanges({ kind: 'refused', reason: 'show-cancelled', message: `show ${state.showId} was cancelled before it went on sale` });
  if (state.published) return nothingChanges({ kind: 'refused', reason: 'already-open', message: `show ${state.showId} is already on sale` });
  return { events: [{ type: 'show-opened', seats: forSale.value, priceTiers: command.priceTiers }], outcome: { kind: 'opened' } };
}

/**
 * All or nothing: every requested seat must be free, or already held by this
 * very order (a repeated command, answered again without holding anything
 * twice). The hold lasts `holdSeconds` by the shard's clock. A show that is
 * not published, or is cancelled, holds nothing.
 */
function hold(command: HoldSeats, state: ShowSeatsState): Decision<HoldOutcome> {
  if (!state.published || state.cancelled) return nothingChanges({ kind: 'refused', reason: 'show-not-on-sale', seatIds: [...command.seatIds] });
  const requested = [...new Set(command.seatIds)];
  const found = new Map(state.seats.map((seat) => [seat.seatId, seat]));
  const unknown = requested.filter((id) => !found.has(id));
  if (unknown.length > 0) return nothingChanges({ kind: 'refused', reason: 'unknown-seats', seatIds: unknown });
  const seats = requested.map((id) => found.get(id) as SeatState);
  const taken = seats.filter((seat) => seat.status !== 'free' && seat.orderId !== command.orderId);
  if (taken.length > 0) return nothingChanges({ kind: 'refused', reason: 'seats-unavailable', seatIds: taken.map((s) => s.seatId) });
  const free = seats.filter((seat) => seat.status === 'free').map((s) => s.seatId);
  const until = new Date(state.now.getTime() + command.holdSeconds * 1000);
  const prices = new PriceList([...state.priceTiers]);
  return {
    events: free.length === 0 ? [] : [{ type: 'seats-held', orderId: command.orderId, seatIds: free, until }],
    outcome: {
      kind: 'held',
      seats: seats.map((seat) => ({ seatId: seat.seatId, price: prices.priceOf(seat.priceTier) })),
      total: prices.total(seats.map((seat) => seat.priceTier)),
    },
  };
}

/**
 * Sells what the order holds. An order that holds nothing any more lost its
 * hold (it ran out and was freed, or was released). A repeated confirm sells
 * nothing new and is answered again. Once the show is cancelled nothing more
 * is sold: a hold taken before is refused (and released by the saga), a sale
 * made before stays, to be refunded. A hold past its end that the sweep has
 * not freed yet is still the order's: nobody else can have the seat, so it
 * is sold.
 */
function sell(command: SellSeats, state: ShowSeatsState): Decision<SellOutcome> {
  const ofOrder = seatsOf(command.orderId, state);
  if (ofOrder.length === 0) return nothingChanges({ kind: 'refused', reason: 'hold-expired' });
  const held = ofOrder.filter((s) => s.status === 'held').map((s) => s.seatId);
  if (state.cancelled && held.length > 0) return nothingChanges({ kind: 'refused', reason: 'show-cancelled' });
  return {
    events: held.length === 0 ? [] : [{ type: 'seats-sold', orderId: command.orderId, seatIds: held }],
    outcome: { kind: 'sold', seatIds: ofOrder.map((s) => s.seatId) },
  };
}

/**
 * Frees what the order holds; sold seats stay sold (a refund puts them back
 * on sale). A hold of a cancelled show is freed too (the order gives it up,
 * late), but the show sells nothing more: the outcome says so, so that nobody
 * is told those seats are free again.
 */
function release(command: ReleaseSeats, state: ShowSeatsState): Decision<ReleaseOutcome> {
  const held = seatsOf(command.orderId, state)
    .filter((s) => s.status === 'held')
    .map((s) => s.seatId);
  return {
    events: held.length === 0 ? [] : [{ type: 'hold-released', orderId: command.orderId, seatIds: held }],
    outcome: { kind: 'released', seatIds: held, showCancelled: state.cancelled },
  };
}

/**
 * A hold ends when its time is up by the shard's clock: the seats are free
 * again (withdrawn, of a cancelled show), and each order is told once.
 */
function expire(state: ShowSeatsState): Decision<ExpireOutcome> {
  const byOrder = new Map<string, string[]>();
  for (const seat of state.seats) {
    if (!holdHasEnded(seat, state.now)) continue;
    const orderId = seat.orderId as string;
    byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), seat.seatId]);
  }
  const holds = [...byOrder].map(([orderId, seatIds]) => ({ orderId, seatIds }));
  return { events: holds.map(({ orderId, seatIds }) => ({ type: 'hold-expired', orderId, seatIds })), outcome: { kind: 'expired', holds, showCancelled: state.cancelled } };
}

/**
 * A refunded order's sold seats go back on sale. Only seats the order still
 * owns count, so a repeated refund finds nothing left to free, and a seat
 * sold to another order since is never touched. A seat the order only holds
 * is left to the hold rules.
 */
function putBackOnSale(command: PutBackOnSale, state: ShowSeatsState): Decision<PutBackOutcome> {
  const sold = seatsOf(command.orderId, state)
    .filter((s) => s.status === 'sold')
    .map((s) => s.seatId);
  return {
    events: sold.length === 0 ? [] : [{ type: 'seats-put-back-on-sale', orderId: command.orderId, seatIds: sold }],
    outcome: { kind: 'back-on-sale', seatIds: sold },
  };
}

/**
 * A cancelled show sells nothing more, even if its publication arrives later,
 * and its sales are called off: every order that bought seats is named once,
 * with its seats, so ordering refunds it. Holds are not sales: their orders
 * are refused when they confirm. A show already stopped changes nothing.
 */
function stopSales(state: ShowSeatsState): Decision<StopOutcome> {
  if (state.cancelled) return nothingChanges({ kind: 'already-stopped' });
  const byOrder = new Map<string, string[]>();
  for (const seat of state.seats) {
    if (seat.status !== 'sold' || seat.orderId === null) continue;
    byOrder.set(seat.orderId, [...(byOrder.get(seat.orderId) ?? []), seat.seatId]);
  }
  const salesCalledOff = [...byOrder].sort(([a], [b]) => a.localeCompare(b)).map(([orderId, seatIds]) => ({ orderId, seatIds }));
  return { events: [{ type: 'sales-stopped' }], outcome: { kind: 'stopped', salesCalledOff } };
}

/**
 * Applies a change. Each event has a precondition, which `decide` guarantees
 * and the adapter's writes repeat on the stored rows (see
 * postgres-seat-inventory.ts): an event whose precondition fails is a bug,
 * never a business outcome, and throws.
 */
export function evolve(state: ShowSeatsState, event: ShowSeatsEvent): ShowSeatsState {
  switch (event.type) {
    case 'show-opened':
      mustHold(!state.published && !state.cancelled, event, state, 'the show is neither on sale nor cancelled');
      return {
        ...state,
        published: true,
        priceTiers: event.priceTiers,
        seats: event.seats.map((s) => ({ seatId: s.seatId, priceTier: s.priceTier, status: 'free', orderId: null, heldUntil: null })),
      };
    case 'seats-held':
      return change(state, event, event.seatIds, (s) => s.status === 'free', { status: 'held', orderId: event.orderId, heldUntil: event.until });
    case 'seats-sold':
      return change(state, event, event.seatIds, (s) => s.status === 'held' && s.orderId === event.orderId, { status: 'sold', heldUntil: null });
    case 'hold-released':
      return change(state, event, event.seatIds, (s) => s.status === 'held' && s.orderId === event.orderId, FREE);
    case 'hold-expired':
      return change(state, event, event.seatIds, (s) => s.orderId === event.orderId && holdHasEnded(s, state.now), FREE);
    case 'seats-put-back-on-sale':
      return change(state, event, event.seatIds, (s) => s.status === 'sold' && s.orderId === event.orderId, FREE);
    case 'sales-stopped':
      mustHold(!state.cancelled, event, state, 'the show is not cancelled yet');
      return { ...state, cancelled: true };
  }
}

const FREE = { status: 'free', orderId: null, heldUntil: null } as const;

function holdHasEnded(seat: SeatState, now: Date): boolean {
  return seat.status === 'held' && seat.heldUntil !== null && seat.heldUntil.getTime() < now.getTime();
}

function seatsOf(orderId: string, state: ShowSeatsState): SeatState[] {
  return state.seats.filter((s) => s.orderId === orderId);
}

function nothingChanges<Outcome>(outcome: Outcome): Decision<Outcome> {
  return { events: [], outcome };
}

function change(state: ShowSeatsState, event: ShowSeatsEvent, seatIds: readonly string[], precondition: (seat: SeatState) => boolean, to: Partial<SeatState>): ShowSeatsState {
  const ids = new Set(seatIds);
  const seats = state.seats.filter((s) => ids.has(s.seatId));
  mustHold(seats.length === ids.size && seats.every(precondition), event, state, 'every seat it names is in the state as it requires');
  return { ...state, seats: state.seats.map((s) => (ids.has(s.seatId) ? { ...s, ...to } : s)) };
}

function mustHold(holds: boolean, event: ShowSeatsEvent, state: ShowSeatsState, what: string): void {
  if (!holds) throw new Error(`${event.type} on show ${state.showId} needs ${what}`);
}
