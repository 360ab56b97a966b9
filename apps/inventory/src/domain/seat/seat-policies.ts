import type { LockedSeat } from './seat.js';

/*
 * The rules of holding, selling and releasing seats. They are decided on
 * seats read under row locks, so two orders racing for one seat are settled
 * here: the first to lock it holds it, the second sees it taken.
 */

export type HoldDecision =
  | { kind: 'hold'; seatIds: string[] }
  | { kind: 'already-held' }
  | { kind: 'reject'; reason: 'unknown-seats' | 'seats-unavailable'; seatIds: string[] };

/** All or nothing: every requested seat must be free, or already held by this very order (a repeated command). */
export function decideHold(orderId: string, requested: string[], locked: LockedSeat[]): HoldDecision {
  const found = new Map(locked.map((seat) => [seat.seatId, seat]));
  const unknown = requested.filter((id) => !found.has(id));
  if (unknown.length > 0) return { kind: 'reject', reason: 'unknown-seats', seatIds: unknown };
  const seats = requested.map((id) => found.get(id) as LockedSeat);
  const unavailable = seats.filter((seat) => seat.status !== 'free' && seat.orderId !== orderId);
  if (unavailable.length > 0) return { kind: 'reject', reason: 'seats-unavailable', seatIds: unavailable.map((s) => s.seatId) };
  const free = seats.filter((seat) => seat.status === 'free').map((s) => s.seatId);
  return free.length === 0 ? { kind: 'already-held' } : { kind: 'hold', seatIds: free };
}

export type ConfirmDecision = { kind: 'confirm'; toSell: string[]; seatIds: string[] } | { kind: 'reject'; reason: 'hold-expired' | 'show-cancelled' };

/**
 * Sells what the order holds. An order whose seats are all gone lost its hold
 * (it expired and was released); a repeated confirm sells nothing new. Once
 * the show is cancelled nothing more is sold: a hold taken before is refused
 * (and released by the saga), a sale made before stays, to be refunded.
 */
export function decideConfirm(seatsOfOrder: LockedSeat[], showCancelled = false): ConfirmDecision {
  if (seatsOfOrder.length === 0) return { kind: 'reject', reason: 'hold-expired' };
  const alreadySold = seatsOfOrder.every((s) => s.status === 'sold');
  if (showCancelled && !alreadySold) return { kind: 'reject', reason: 'show-cancelled' };
  return {
    kind: 'confirm',
    toSell: seatsOfOrder.filter((s) => s.status === 'held').map((s) => s.seatId),
    seatIds: seatsOfOrder.map((s) => s.seatId),
  };
}

/** Frees what the order holds; sold seats stay sold (a refund puts them back on sale, see below). */
export function seatsToRelease(seatsOfOrder: LockedSeat[]): string[] {
  return seatsOfOrder.filter((s) => s.status === 'held').map((s) => s.seatId);
}

/**
 * A refunded order's sold seats go back on sale. Only seats this order still
 * owns are read, so a repeated refund finds nothing left to free, and seats
 * another order bought since are never touched.
 */
export function seatsToPutBackOnSale(seatsOfOrder: LockedSeat[]): string[] {
  return seatsOfOrder.filter((s) => s.status === 'sold').map((s) => s.seatId);
}

/**
 * A cancelled show's sales are called off, order by order: every order that
 * bought seats of the show is named once, with the seats it bought, so
 * ordering can refund it. Held seats are not sales: their orders are refused
 * when they confirm.
 */
export function salesToCallOff(soldSeats: LockedSeat[]): { orderId: string; seatIds: string[] }[] {
  const byOrder = new Map<string, string[]>();
  for (const seat of soldSeats) {
    if (seat.status !== 'sold' || seat.orderId === null) continue;
    byOrder.set(seat.orderId, [...(byOrder.get(seat.orderId) ?? []), seat.seatId]);
  }
  return [...byOrder].sort(([a], [b]) => a.localeCompare(b)).map(([orderId, seatIds]) => ({ orderId, seatIds }));
}
