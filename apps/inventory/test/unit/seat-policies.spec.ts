import { decideConfirm, decideHold, salesToCallOff, seatsToPutBackOnSale, seatsToRelease } from '../../src/domain/seat/seat-policies.js';
import { PriceList } from '../../src/domain/seat/price-list.js';
import type { LockedSeat } from '../../src/domain/seat/seat.js';

const me = 'order-me';
const other = 'order-other';
const seat = (seatId: string, status: LockedSeat['status'] = 'free', orderId: string | null = null): LockedSeat => ({ seatId, priceTier: 'STD', status, orderId });

describe('decideHold', () => {
  it('holds free seats', () => {
    expect(decideHold(me, ['A-1-1', 'A-1-2'], [seat('A-1-1'), seat('A-1-2')])).toEqual({ kind: 'hold', seatIds: ['A-1-1', 'A-1-2'] });
  });

  it('is all or nothing: one taken seat rejects the whole request', () => {
    expect(decideHold(me, ['A-1-1', 'A-1-2'], [seat('A-1-1'), seat('A-1-2', 'held', other)])).toEqual({ kind: 'reject', reason: 'seats-unavailable', seatIds: ['A-1-2'] });
    expect(decideHold(me, ['A-1-1'], [seat('A-1-1', 'sold', other)])).toEqual({ kind: 'reject', reason: 'seats-unavailable', seatIds: ['A-1-1'] });
  });

  it('rejects seats the show does not have', () => {
    expect(decideHold(me, ['A-1-1', 'Z-9-9'], [seat('A-1-1')])).toEqual({ kind: 'reject', reason: 'unknown-seats', seatIds: ['Z-9-9'] });
  });

  it('answers a repeated command without holding anything again', () => {
    expect(decideHold(me, ['A-1-1'], [seat('A-1-1', 'held', me)])).toEqual({ kind: 'already-held' });
    expect(decideHold(me, ['A-1-1', 'A-1-2'], [seat('A-1-1', 'held', me), seat('A-1-2')])).toEqual({ kind: 'hold', seatIds: ['A-1-2'] });
  });
});

describe('decideConfirm', () => {
  it('sells what the order holds', () => {
    expect(decideConfirm([seat('A-1-1', 'held', me), seat('A-1-2', 'held', me)])).toEqual({ kind: 'confirm', toSell: ['A-1-1', 'A-1-2'], seatIds: ['A-1-1', 'A-1-2'] });
  });

  it('sells nothing new when repeated', () => {
    expect(decideConfirm([seat('A-1-1', 'sold', me)])).toEqual({ kind: 'confirm', toSell: [], seatIds: ['A-1-1'] });
  });

  it('refuses when the hold is gone', () => {
    expect(decideConfirm([])).toEqual({ kind: 'reject', reason: 'hold-expired' });
  });

  it('sells nothing once the show is cancelled, but still answers a sale made before', () => {
    expect(decideConfirm([seat('A-1-1', 'held', me)], true)).toEqual({ kind: 'reject', reason: 'show-cancelled' });
    expect(decideConfirm([seat('A-1-1', 'sold', me)], true)).toEqual({ kind: 'confirm', toSell: [], seatIds: ['A-1-1'] });
  });
});

describe('salesToCallOff', () => {
  it('names each order that bought seats once, with its seats, and ignores holds', () => {
    expect(salesToCallOff([seat('A-1-1', 'sold', other), seat('A-1-2', 'held', me), seat('A-1-3', 'sold', other), seat('B-1-1', 'sold', me)])).toEqual([
      { orderId: me, seatIds: ['B-1-1'] },
      { orderId: other, seatIds: ['A-1-1', 'A-1-3'] },
    ]);
    expect(salesToCallOff([])).toEqual([]);
  });
});

describe('seatsToRelease', () => {
  it('frees held seats and never sold ones', () => {
    expect(seatsToRelease([seat('A-1-1', 'held', me), seat('A-1-2', 'sold', me)])).toEqual(['A-1-1']);
  });
});

describe('PriceList', () => {
  it('prices seats by tier and totals them in minor units', () => {
    const prices = new PriceList([
      { code: 'STD', priceMinor: 4550, currency: 'EUR' },
      { code: 'VIP', priceMinor: 9900, currency: 'EUR' },
    ]);
    expect(prices.total(['STD', 'VIP', 'STD'])).toEqual({ amountMinor: 19000, currency: 'EUR' });
    expect(() => prices.priceOf('GOLD')).toThrow(/no price/);
  });
});

describe('seatsToPutBackOnSale', () => {
  it('frees the seats a refunded order bought', () => {
    expect(seatsToPutBackOnSale([seat('A-1-1', 'sold', me), seat('A-1-2', 'sold', me)])).toEqual(['A-1-1', 'A-1-2']);
  });

  it('finds nothing to do when the refund is repeated (the seats are no longer the order\'s)', () => {
    expect(seatsToPutBackOnSale([])).toEqual([]);
  });

  it('leaves a seat the order only holds to the hold rules', () => {
    expect(seatsToPutBackOnSale([seat('A-1-1', 'held', me)])).toEqual([]);
  });
});
