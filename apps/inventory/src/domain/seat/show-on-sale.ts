import { fail, ok, violation, type Result } from '@boxoffice/ddd';
import type { Seat } from './seat.js';

export interface PublishedSeat {
  seatId: string;
  section: string;
  row: string;
  number: number;
  priceTier: string;
}

/**
 * A show's seats when it goes on sale: every seat of the published map, free.
 * A map that names a seat twice would let two orders share one chair, so it
 * is refused whole.
 */
export function seatsForSale(showId: string, published: PublishedSeat[]): Result<Seat[]> {
  const ids = new Set(published.map((seat) => seat.seatId));
  if (ids.size !== published.length) return fail(violation('duplicate-seat', `show ${showId} names a seat twice`));
  if (published.length === 0) return fail(violation('no-seats', `show ${showId} has no seats`));
  return ok(published.map((seat) => ({ ...seat, showId, status: 'free' })));
}
