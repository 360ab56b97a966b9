import { describe, expect, it } from '@jest/globals';
import { shownStates, statesOfSnapshot } from '../../src/storefront/seatStates';

const showId = '0b9f5a4e-3c1d-4e7a-9f00-2a6d4c1b7e11';
const seat = (seatId: string, available: boolean) => ({ seatId, section: 'A', row: '1', number: Number(seatId.slice(-1)), priceTier: 'STD', available });

/** Inventory's rule, on the live seat map: of a cancelled show, whatever is not sold is withdrawn. */
describe("the live seat map's seat states", () => {
  it('shows what the snapshot cannot sell as sold while the show is on sale', () => {
    const known = statesOfSnapshot({ showId, status: 'on-sale', seats: [seat('A-1-1', true), seat('A-1-2', false)] });
    expect(shownStates(known, false)).toEqual({ 'A-1-1': 'free', 'A-1-2': 'sold' });
  });

  it('shows every seat not sold of a cancelled show as withdrawn, also one a late release frees again', () => {
    const known = { 'A-1-1': 'free', 'A-1-2': 'held', 'A-1-3': 'sold', 'A-1-4': 'withdrawn' } as const;
    expect(shownStates(known, false)).toEqual(known);
    expect(shownStates(known, true)).toEqual({ 'A-1-1': 'withdrawn', 'A-1-2': 'withdrawn', 'A-1-3': 'sold', 'A-1-4': 'withdrawn' });
  });

  it('shows the snapshot of a show already cancelled as withdrawn, not sold', () => {
    const known = statesOfSnapshot({ showId, status: 'cancelled', seats: [seat('A-1-1', false), seat('A-1-2', false)] });
    expect(shownStates(known, true)).toEqual({ 'A-1-1': 'withdrawn', 'A-1-2': 'withdrawn' });
  });
});
