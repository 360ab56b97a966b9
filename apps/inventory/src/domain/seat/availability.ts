import type { SeatStatus } from './seat.js';

export interface SeatCounts {
  total: number;
  free: number;
  held: number;
  sold: number;
}

export interface Availability {
  showId: string;
  seats: SeatCounts;
  sections: (SeatCounts & { section: string })[];
}

/** Folds per-section status counts into a show's availability. */
export function availabilityOf(showId: string, counts: { section: string; status: SeatStatus; count: number }[]): Availability {
  const empty = (): SeatCounts => ({ total: 0, free: 0, held: 0, sold: 0 });
  const seats = empty();
  const bySection = new Map<string, SeatCounts>();
  for (const { section, status, count } of counts) {
    const sectionCounts = bySection.get(section) ?? empty();
    bySection.set(section, sectionCounts);
    for (const target of [seats, sectionCounts]) {
      target[status] += count;
      target.total += count;
    }
  }
  const sections = [...bySection].sort(([a], [b]) => a.localeCompare(b)).map(([section, c]) => ({ section, ...c }));
  return { showId, seats, sections };
}
