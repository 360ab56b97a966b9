import type { SeatMap, SeatState } from '../app/api';

/**
 * What the page knows of a seat: a state from the stream, or `taken` when
 * the snapshot only says it cannot be bought (held, sold or withdrawn: the
 * seat map does not say which).
 */
export type KnownSeatState = SeatState | 'taken';

/** The seats as a stream's snapshot tells them. */
export function statesOfSnapshot(map: SeatMap): Record<string, KnownSeatState> {
  return Object.fromEntries(map.seats.map((seat) => [seat.seatId, seat.available ? 'free' : 'taken']));
}

/**
 * What the seat map shows. Inventory's rule: of a cancelled show, whatever
 * is not sold is withdrawn, also a seat that a late `free` or `held` event
 * names (a hold released after the cancellation). A seat the snapshot of a
 * cancelled show calls taken is shown withdrawn too: nothing of it is for
 * sale, and its buyer is refunded.
 */
export function shownStates(known: Record<string, KnownSeatState>, showCancelled: boolean): Record<string, SeatState> {
  return Object.fromEntries(Object.entries(known).map(([seatId, state]) => [seatId, shownState(state, showCancelled)]));
}

function shownState(state: KnownSeatState, showCancelled: boolean): SeatState {
  if (showCancelled) return state === 'sold' ? 'sold' : 'withdrawn';
  return state === 'taken' ? 'sold' : state;
}
