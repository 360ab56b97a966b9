import { fail, ok, violation, type Result } from '@boxoffice/ddd';

export interface SectionLayout {
  code: string;
  rows: number;
  seatsPerRow: number;
  priceTier: string;
}

export interface SeatPosition {
  seatId: string;
  section: string;
  row: string;
  number: number;
  priceTier: string;
}

/** Largest venue we accept: keeps one show's seat creation a single, bounded transaction. */
export const MAX_SEATS = 20_000;

/**
 * A venue's seating: rectangular sections of numbered rows and seats. Seat ids
 * (`A-3-12`: section, row, number) are stable, so a seat means the same chair
 * in every context.
 */
export class SeatMap {
  private constructor(readonly sections: readonly SectionLayout[]) {}

  static create(sections: SectionLayout[]): Result<SeatMap> {
    if (sections.length === 0) return fail(violation('seat-map-empty', 'a venue needs at least one section'));
    const codes = new Set(sections.map((s) => s.code));
    if (codes.size !== sections.length) return fail(violation('duplicate-section', 'section codes must be unique'));
    if (sections.some((s) => s.rows < 1 || s.seatsPerRow < 1)) return fail(violation('empty-section', 'every section needs rows and seats'));
    const size = sections.reduce((sum, s) => sum + s.rows * s.seatsPerRow, 0);
    if (size > MAX_SEATS) return fail(violation('venue-too-large', `a venue has at most ${MAX_SEATS} seats`));
    return ok(new SeatMap(sections.map((s) => ({ ...s }))));
  }

  get size(): number {
    return this.sections.reduce((sum, s) => sum + s.rows * s.seatsPerRow, 0);
  }

  priceTiers(): Set<string> {
    return new Set(this.sections.map((s) => s.priceTier));
  }

  seats(): SeatPosition[] {
    return this.sections.flatMap((section) =>
      Array.from({ length: section.rows }, (_, r) =>
        Array.from({ length: section.seatsPerRow }, (_, n) => ({
          seatId: `${section.code}-${r + 1}-${n + 1}`,
          section: section.code,
          row: String(r + 1),
          number: n + 1,
          priceTier: section.priceTier,
        })),
      ).flat(),
    );
  }
}
