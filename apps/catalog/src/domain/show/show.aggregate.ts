import { AggregateRoot, fail, ok, violation, type Result } from '@boxoffice/ddd';
import type { Venue } from '../venue/venue.aggregate.js';
import type { SeatPosition } from '../venue/seat-map.value-object.js';

export type ShowStatus = 'draft' | 'published' | 'cancelled';

export interface PriceTier {
  code: string;
  priceMinor: number;
  currency: string;
}

export const SHOW_PUBLISHED = 'catalog.show-published';
export const SHOW_CANCELLED = 'catalog.show-cancelled';

export interface ShowPublished {
  showId: string;
  venueId: string;
  title: string;
  startsAt: string;
  priceTiers: PriceTier[];
  seats: SeatPosition[];
}

/**
 * A performance at a venue. It is scheduled as a draft, then published: from
 * then on its seat map is frozen (the event carries it) and seats go on sale.
 */
export class Show extends AggregateRoot {
  private constructor(
    id: string,
    version: number,
    readonly venueId: string,
    readonly title: string,
    readonly startsAt: string,
    readonly priceTiers: readonly PriceTier[],
    private currentStatus: ShowStatus,
  ) {
    super(id, version);
  }

  static schedule(props: { id: string; venueId: string; title: string; startsAt: string; priceTiers: PriceTier[] }): Result<Show> {
    const codes = new Set(props.priceTiers.map((t) => t.code));
    if (codes.size !== props.priceTiers.length) return fail(violation('duplicate-price-tier', 'price tier codes must be unique'));
    if (new Set(props.priceTiers.map((t) => t.currency)).size > 1) return fail(violation('mixed-currencies', 'all price tiers of a show use one currency'));
    const show = new Show(props.id, 0, props.venueId, props.title.trim(), props.startsAt, props.priceTiers, 'draft');
    show.recordChange();
    return ok(show);
  }

  static restore(props: { id: string; version: number; venueId: string; title: string; startsAt: string; priceTiers: PriceTier[]; status: ShowStatus }): Show {
    return new Show(props.id, props.version, props.venueId, props.title, props.startsAt, props.priceTiers, props.status);
  }

  get status(): ShowStatus {
    return this.currentStatus;
  }

  /** Puts the show on sale with the venue's seat map as it is now. */
  publish(venue: Venue): Result<void> {
    if (this.currentStatus !== 'draft') return fail(violation('show-not-draft', `a ${this.currentStatus} show cannot be published`));
    if (venue.id !== this.venueId) return fail(violation('wrong-venue', 'the show is scheduled at another venue'));
    const priced = new Set(this.priceTiers.map((t) => t.code));
    const unpriced = [...venue.seatMap.priceTiers()].filter((tier) => !priced.has(tier));
    if (unpriced.length > 0) return fail(violation('unpriced-seats', `no price for tier(s) ${unpriced.join(', ')}`));
    this.currentStatus = 'published';
    this.raise<ShowPublished>(SHOW_PUBLISHED, {
      showId: this.id,
      venueId: this.venueId,
      title: this.title,
      startsAt: this.startsAt,
      priceTiers: [...this.priceTiers],
      seats: venue.seatMap.seats(),
    });
    return ok(undefined);
  }

  /**
   * Calls the show off: no more seats are sold. Orders already confirmed are
   * refunded one by one (an admin's decision per order, through ordering).
   * Cancelling twice changes nothing.
   */
  cancel(): Result<'cancelled' | 'already-cancelled'> {
    if (this.currentStatus === 'cancelled') return ok('already-cancelled');
    const wasOnSale = this.currentStatus === 'published';
    this.currentStatus = 'cancelled';
    this.raise(SHOW_CANCELLED, { showId: this.id, wasOnSale });
    return ok('cancelled');
  }
}
