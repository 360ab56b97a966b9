import type { CausalContext } from '@boxoffice/messaging';
import { CancelShowHandler } from '../../src/application/cancel-show/cancel-show.handler.js';
import { ShowRepository } from '../../src/application/ports/show.repository.port.js';
import { VenueRepository } from '../../src/application/ports/venue.repository.port.js';
import { PublishShowHandler } from '../../src/application/publish-show/publish-show.handler.js';
import { Show, type ShowStatus } from '../../src/domain/show/show.aggregate.js';
import { Venue } from '../../src/domain/venue/venue.aggregate.js';

const venueId = '01960000-0000-7000-8000-000000000101';
const showId = '01960000-0000-7000-8000-000000000102';
const causal = { correlationId: '01960000-0000-7000-8000-000000000103' } as CausalContext;

/** One show in memory, standing in for the primary; `loseNextRace` makes the next update a concurrent change. */
class InMemoryShows extends ShowRepository {
  stored: { status: ShowStatus; version: number } | undefined;
  loseNextRace = false;

  constructor(status: ShowStatus, version: number) {
    super();
    this.stored = { status, version };
  }

  nextId(): string {
    return showId;
  }

  findById(id: string): Promise<Show | undefined> {
    if (id !== showId || !this.stored) return Promise.resolve(undefined);
    return Promise.resolve(
      Show.restore({ id, venueId, title: 'Opening night', startsAt: '2027-01-01T20:00:00.000Z', priceTiers: [{ code: 'STD', priceMinor: 5000, currency: 'EUR' }], ...this.stored }),
    );
  }

  readById(id: string): Promise<Show | undefined> {
    return this.findById(id);
  }

  list(): Promise<Show[]> {
    return Promise.resolve([]);
  }

  add(): Promise<void> {
    return Promise.reject(new Error('not used'));
  }

  update(show: Show): Promise<boolean> {
    if (this.loseNextRace) return Promise.resolve(false);
    show.pullEvents();
    this.stored = { status: show.status, version: show.version };
    return Promise.resolve(true);
  }
}

class OneVenue extends VenueRepository {
  nextId(): string {
    return venueId;
  }

  findById(id: string): Promise<Venue | undefined> {
    const venue = Venue.register(venueId, 'Hall', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
    if (!venue.ok) throw new Error(venue.error.message);
    return Promise.resolve(id === venueId ? venue.value : undefined);
  }

  readById(id: string): Promise<Venue | undefined> {
    return this.findById(id);
  }

  add(): Promise<void> {
    return Promise.reject(new Error('not used'));
  }
}

describe('publishing a show', () => {
  it('answers the show as it was written', async () => {
    const shows = new InMemoryShows('draft', 1);

    const result = await new PublishShowHandler(new OneVenue(), shows).execute(showId, causal);

    if (!result.ok) throw new Error(result.error.message);
    expect({ status: result.value.status, version: result.value.version }).toEqual({ status: 'published', version: 2 });
    expect(shows.stored).toEqual({ status: 'published', version: 2 });
  });

  it('reports a lost race and answers no show', async () => {
    const shows = new InMemoryShows('draft', 1);
    shows.loseNextRace = true;

    const result = await new PublishShowHandler(new OneVenue(), shows).execute(showId, causal);

    expect(result.ok ? 'written' : result.error.code).toBe('concurrent-change');
  });
});

describe('cancelling a show', () => {
  it('answers the show as it was written', async () => {
    const shows = new InMemoryShows('published', 2);

    const result = await new CancelShowHandler(shows).execute(showId, causal);

    if (!result.ok) throw new Error(result.error.message);
    expect({ status: result.value.status, version: result.value.version }).toEqual({ status: 'cancelled', version: 3 });
    expect(shows.stored).toEqual({ status: 'cancelled', version: 3 });
  });

  it('answers an already cancelled show as it stands, writing nothing', async () => {
    const shows = new InMemoryShows('cancelled', 3);
    shows.loseNextRace = true;

    const result = await new CancelShowHandler(shows).execute(showId, causal);

    if (!result.ok) throw new Error(result.error.message);
    expect({ status: result.value.status, version: result.value.version }).toEqual({ status: 'cancelled', version: 3 });
  });
});
