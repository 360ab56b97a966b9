import type { SeatStatus } from './seat.js';

/** `withdrawn`: seats of a cancelled show that nobody bought (or whose buyer was refunded); they are not for sale. */
export interface SeatCounts {
  total: number;
  free: number;
  held: number;
  sold: number;
  withdrawn: number;
}

export type SaleStatus = 'on-sale' | 'cancelled';

export interface Availability {
  showId: string;
  status: SaleStatus;
  seats: SeatCounts;
  sections: (SeatCounts & { section: string })[];
}

/**
 * Folds per-section status counts into a show's availability. A cancelled
 * show has no free seat: what is not sold is withdrawn, also while its
 * refunds free the seats one order at a time.
 */
export function availabilityOf(showId: string, counts: { section: string; status: SeatStatus; count: number }[], status: SaleStatus = 'on-sale'): Availability {
  const empty = (): SeatCounts => ({ total: 0, free: 0, held: 0, sold: 0, withdrawn: 0 });
  const seats = empty();
  const bySection = new Map<string, SeatCounts>();
  for (const { section, status: seatStatus, count } of counts) {
    const sectionCounts = bySection.get(section) ?? empty();
    bySection.set(section, sectionCounts);
    const shown = isForSale(seatStatus, status) ? seatStatus : 'withdrawn';
    for (const target of [seats, sectionCounts]) {
      target[shown] += count;
      target.total += count;
    }
  }
  const sections = [...bySection].sort(([a], [b]) => a.localeCompare(b)).map(([section, c]) => ({ section, ...c }));
  return { showId, status, seats, sections };
}

/** Whether a buyer may take this seat: it is free and its show still sells. */
export function isAvailable(seatStatus: SeatStatus, status: SaleStatus): boolean {
  return seatStatus === 'free' && status === 'on-sale';
}

function isForSale(seatStatus: SeatStatus, status: SaleStatus): boolean {
  return status === 'on-sale' || seatStatus === 'sold';
}
