import type { Venue } from '../../domain/venue/venue.aggregate.js';

export abstract class VenueRepository {
  abstract nextId(): string;
  abstract findById(id: string): Promise<Venue | undefined>;
  abstract add(venue: Venue): Promise<void>;
}
