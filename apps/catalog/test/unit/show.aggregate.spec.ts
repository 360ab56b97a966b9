import { Show } from '../../src/domain/show/show.aggregate.js';
import { Venue } from '../../src/domain/venue/venue.aggregate.js';

const venueId = '01960000-0000-7000-8000-000000000001';
const showId = '01960000-0000-7000-8000-000000000002';

function venue(): Venue {
  const result = Venue.register(venueId, 'Hall', [
    { code: 'A', rows: 2, seatsPerRow: 3, priceTier: 'STD' },
    { code: 'B', rows: 1, seatsPerRow: 2, priceTier: 'VIP' },
  ]);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function draft(priceTiers = [
  { code: 'STD', priceMinor: 5000, currency: 'EUR' },
  { code: 'VIP', priceMinor: 9000, currency: 'EUR' },
]): Show {
  const result = Show.schedule({ id: showId, venueId, title: 'Opening night', startsAt: '2027-01-01T20:00:00Z', priceTiers });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('Show', () => {
  it('is scheduled as a draft at version 1 and raises nothing', () => {
    const show = draft();
    expect(show.status).toBe('draft');
    expect(show.version).toBe(1);
    expect(show.pullEvents()).toEqual([]);
  });

  it('publishes with the full seat map in its event and bumps its version', () => {
    const show = draft();
    expect(show.publish(venue())).toEqual({ ok: true, value: undefined });
    expect(show.status).toBe('published');
    const [event, ...rest] = show.pullEvents();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: 'catalog.show-published', aggregateId: showId, aggregateVersion: 2 });
    const payload = event.payload as { seats: { seatId: string; priceTier: string }[] };
    expect(payload.seats).toHaveLength(8);
    expect(payload.seats.map((s) => s.seatId)).toContain('A-2-3');
    expect(payload.seats.find((s) => s.seatId === 'B-1-2')?.priceTier).toBe('VIP');
    expect(show.pullEvents()).toEqual([]);
  });

  it('refuses to publish twice', () => {
    const show = draft();
    show.publish(venue());
    const again = show.publish(venue());
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error.code).toBe('show-not-draft');
  });

  it('refuses to publish when a seat has no price', () => {
    const show = draft([{ code: 'STD', priceMinor: 5000, currency: 'EUR' }]);
    const result = show.publish(venue());
    expect(!result.ok && result.error.code).toBe('unpriced-seats');
    expect(show.status).toBe('draft');
    expect(show.pullEvents()).toEqual([]);
  });

  it('refuses duplicate price tiers and mixed currencies', () => {
    const duplicate = Show.schedule({ id: showId, venueId, title: 't', startsAt: '2027-01-01T20:00:00Z', priceTiers: [
      { code: 'STD', priceMinor: 1, currency: 'EUR' },
      { code: 'STD', priceMinor: 2, currency: 'EUR' },
    ] });
    expect(!duplicate.ok && duplicate.error.code).toBe('duplicate-price-tier');
    const mixed = Show.schedule({ id: showId, venueId, title: 't', startsAt: '2027-01-01T20:00:00Z', priceTiers: [
      { code: 'STD', priceMinor: 1, currency: 'EUR' },
      { code: 'VIP', priceMinor: 2, currency: 'USD' },
    ] });
    expect(!mixed.ok && mixed.error.code).toBe('mixed-currencies');
  });

  it('is cancelled once, announcing whether it was on sale', () => {
    const show = draft();
    show.publish(venue());
    show.pullEvents();
    expect(show.cancel()).toEqual({ ok: true, value: 'cancelled' });
    expect(show.status).toBe('cancelled');
    expect(show.pullEvents()).toEqual([{ type: 'catalog.show-cancelled', aggregateId: showId, aggregateVersion: 3, payload: { showId, wasOnSale: true } }]);
    expect(show.cancel()).toEqual({ ok: true, value: 'already-cancelled' });
    expect(show.pullEvents()).toEqual([]);
    expect(show.publish(venue()).ok).toBe(false);
  });
});
