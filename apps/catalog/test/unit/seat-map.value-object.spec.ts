import { MAX_SEATS, SeatMap } from '../../src/domain/venue/seat-map.value-object.js';

describe('SeatMap', () => {
  it('numbers every seat by section, row and number', () => {
    const map = SeatMap.create([{ code: 'A', rows: 2, seatsPerRow: 2, priceTier: 'STD' }]);
    expect(map.ok && map.value.seats().map((s) => s.seatId)).toEqual(['A-1-1', 'A-1-2', 'A-2-1', 'A-2-2']);
    expect(map.ok && map.value.size).toBe(4);
  });

  it.each([
    [[], 'seat-map-empty'],
    [[{ code: 'A', rows: 1, seatsPerRow: 1, priceTier: 'X' }, { code: 'A', rows: 1, seatsPerRow: 1, priceTier: 'X' }], 'duplicate-section'],
    [[{ code: 'A', rows: 0, seatsPerRow: 1, priceTier: 'X' }], 'empty-section'],
    [[{ code: 'A', rows: 200, seatsPerRow: 200, priceTier: 'X' }], 'venue-too-large'],
  ])('refuses an invalid layout (%#)', (sections, code) => {
    const map = SeatMap.create(sections);
    expect(!map.ok && map.error.code).toBe(code);
  });

  it('accepts a venue of exactly the maximum size', () => {
    const map = SeatMap.create([{ code: 'A', rows: MAX_SEATS / 100, seatsPerRow: 100, priceTier: 'X' }]);
    expect(map.ok).toBe(true);
  });
});
