import { Injectable } from '@nestjs/common';
import { fail, ok, violation, type Result } from '@boxoffice/ddd';
import type { CausalContext } from '@boxoffice/messaging';
import { Show, type PriceTier } from '../../domain/show/show.aggregate.js';
import { ShowRepository } from '../ports/show.repository.port.js';
import { VenueRepository } from '../ports/venue.repository.port.js';

export interface ScheduleShow {
  venueId: string;
  title: string;
  startsAt: string;
  priceTiers: PriceTier[];
}

@Injectable()
export class ScheduleShowHandler {
  constructor(
    private readonly venues: VenueRepository,
    private readonly shows: ShowRepository,
  ) {}

  async execute(command: ScheduleShow, causal: CausalContext): Promise<Result<{ id: string }>> {
    const venue = await this.venues.findById(command.venueId);
    if (!venue) return fail(violation('venue-not-found', `no venue with id ${command.venueId}`));
    const show = Show.schedule({ id: this.shows.nextId(), ...command });
    if (!show.ok) return show;
    await this.shows.add(show.value, causal);
    return ok({ id: show.value.id });
  }
}
