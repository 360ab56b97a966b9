import { Injectable } from '@nestjs/common';
import { ok, type Result } from '@boxoffice/ddd';
import { Venue } from '../../domain/venue/venue.aggregate.js';
import type { SectionLayout } from '../../domain/venue/seat-map.value-object.js';
import { VenueRepository } from '../ports/venue.repository.port.js';

export interface RegisterVenue {
  name: string;
  sections: SectionLayout[];
}

@Injectable()
export class RegisterVenueHandler {
  constructor(private readonly venues: VenueRepository) {}

  async execute(command: RegisterVenue): Promise<Result<{ id: string }>> {
    const venue = Venue.register(this.venues.nextId(), command.name, command.sections);
    if (!venue.ok) return venue;
    await this.venues.add(venue.value);
    return ok({ id: venue.value.id });
  }
}
