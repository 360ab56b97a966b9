import { AggregateRoot, fail, ok, violation, type Result } from '@boxoffice/ddd';
import { SeatMap, type SectionLayout } from './seat-map.value-object.js';

/** A place with a fixed seat map. */
export class Venue extends AggregateRoot {
  private constructor(
    id: string,
    version: number,
    readonly name: string,
    readonly seatMap: SeatMap,
  ) {
    super(id, version);
  }

  static register(id: string, name: string, sections: SectionLayout[]): Result<Venue> {
    if (name.trim().length === 0) return fail(violation('venue-name-empty', 'a venue needs a name'));
    const seatMap = SeatMap.create(sections);
    if (!seatMap.ok) return seatMap;
    const venue = new Venue(id, 0, name.trim(), seatMap.value);
    venue.recordChange();
    return ok(venue);
  }

  static restore(id: string, version: number, name: string, seatMap: SeatMap): Venue {
    return new Venue(id, version, name, seatMap);
  }
}
