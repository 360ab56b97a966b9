import { Injectable } from '@nestjs/common';
import { fail, ok, violation, type Result } from '@boxoffice/ddd';
import type { CausalContext } from '@boxoffice/messaging';
import type { Show } from '../../domain/show/show.aggregate.js';
import { ShowRepository } from '../ports/show.repository.port.js';
import { VenueRepository } from '../ports/venue.repository.port.js';

@Injectable()
export class PublishShowHandler {
  constructor(
    private readonly venues: VenueRepository,
    private readonly shows: ShowRepository,
  ) {}

  /**
   * Publishing twice is refused by the aggregate; a lost race is reported,
   * never applied twice. Answers the show as it was written.
   */
  async execute(showId: string, causal: CausalContext): Promise<Result<Show>> {
    const show = await this.shows.findById(showId);
    if (!show) return fail(violation('show-not-found', `no show with id ${showId}`));
    const venue = await this.venues.findById(show.venueId);
    if (!venue) return fail(violation('venue-not-found', `no venue with id ${show.venueId}`));
    const published = show.publish(venue);
    if (!published.ok) return published;
    if (!(await this.shows.update(show, causal))) return fail(violation('concurrent-change', 'the show changed meanwhile; read it again'));
    return ok(show);
  }
}
