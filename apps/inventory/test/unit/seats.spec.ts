import { availabilityOf, isAvailable } from '../../src/domain/seat/availability.js';
import { seatsForSale } from '../../src/domain/seat/show-on-sale.js';

const showId = '01960000-0000-7000-8000-000000000002';
const seat = (seatId: string, section = 'A') => ({ seatId, section, row: '1', number: 1, priceTier: 'STD' });

describe('seatsForSale', () => {
  it('puts every published seat on sale, free', () => {
    const result = seatsForSale(showId, [seat('A-1-1'), seat('A-1-2')]);
    expect(result.ok && result.value.map((s) => [s.seatId, s.status, s.showId])).toEqual([
      ['A-1-1', 'free', showId],
      ['A-1-2', 'free', showId],
    ]);
  });

  it('refuses a map that names a seat twice', () => {
    const result = seatsForSale(showId, [seat('A-1-1'), seat('A-1-1')]);
    expect(!result.ok && result.error.code).toBe('duplicate-seat');
  });
});

describe('availabilityOf', () => {
  it('sums statuses per section and in total', () => {
    const availability = availabilityOf(showId, [
      { section: 'B', status: 'free', count: 3 },
      { section: 'A', status: 'free', count: 5 },
      { section: 'A', status: 'sold', count: 2 },
      { section: 'A', status: 'held', count: 1 },
    ]);
    expect(availability.status).toBe('on-sale');
    expect(availability.seats).toEqual({ total: 11, free: 8, held: 1, sold: 2, withdrawn: 0 });
    expect(availability.sections).toEqual([
      { section: 'A', total: 8, free: 5, held: 1, sold: 2, withdrawn: 0 },
      { section: 'B', total: 3, free: 3, held: 0, sold: 0, withdrawn: 0 },
    ]);
  });

  it('reports no free or held seat of a cancelled show: what is not sold is withdrawn', () => {
    const availability = availabilityOf(
      showId,
      [
        { section: 'A', status: 'free', count: 5 },
        { section: 'A', status: 'sold', count: 2 },
        { section: 'A', status: 'held', count: 1 },
      ],
      'cancelled',
    );
    expect(availability.status).toBe('cancelled');
    expect(availability.seats).toEqual({ total: 8, free: 0, held: 0, sold: 2, withdrawn: 6 });
  });
});

describe('isAvailable', () => {
  it('offers a free seat only while its show sells', () => {
    expect(isAvailable('free', 'on-sale')).toBe(true);
    expect(isAvailable('free', 'cancelled')).toBe(false);
    expect(isAvailable('sold', 'on-sale')).toBe(false);
  });
});
