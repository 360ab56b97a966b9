import type { Venue } from '../../domain/venue/venue.aggregate.js';

export abstract class VenueRepository {
  abstract nextId(): string;
  /** The latest state, from the primary: what a change is decided on. */
  abstract findById(id: string): Promise<Venue | undefined>;
  /** For display: from a replica when one answers, so possibly a moment stale. */
  abstract readById(id: string): Promise<Venue | undefined>;
  abstract add(venue: Venue): Promise<void>;
}
