import { highestRates, rateBetween, ratesOf, withReading, type CountsReading } from '../../ui/src/console/order-rates.js';

const reading = (at: number, placed: number, confirmed: number, rejected: number): CountsReading => ({ at, counts: { placed, confirmed, rejected } });

describe('orders per second from successive counts', () => {
  it('is what each count rose by over the seconds the browser measured between the readings', () => {
    expect(rateBetween(reading(1000, 100, 80, 5), reading(4000, 130, 95, 11))).toEqual({ at: 4000, perSecond: { placed: 10, confirmed: 5, rejected: 2 } });
    expect(rateBetween(reading(0, 7, 7, 7), reading(2500, 7, 7, 7))?.perSecond).toEqual({ placed: 0, confirmed: 0, rejected: 0 });
  });

  it('never goes negative when a count goes back (a restarted counter), and measures the next interval from the lower count', () => {
    const readings = [reading(0, 500, 400, 50), reading(3000, 20, 10, 1), reading(6000, 50, 25, 4)];
    expect(ratesOf(readings).map((r) => r.perSecond)).toEqual([
      { placed: 0, confirmed: 0, rejected: 0 },
      { placed: 10, confirmed: 5, rejected: 1 },
    ]);
  });

  it('gives no rate for readings taken at the same moment (or out of order), rather than dividing by zero', () => {
    expect(rateBetween(reading(5000, 1, 1, 1), reading(5000, 9, 9, 9))).toBeNull();
    expect(rateBetween(reading(5000, 1, 1, 1), reading(4000, 9, 9, 9))).toBeNull();
    expect(ratesOf([reading(0, 0, 0, 0), reading(0, 5, 0, 0), reading(1000, 6, 0, 0)]).map((r) => r.perSecond.placed)).toEqual([1]);
  });

  it('averages over a longer interval when a reading is missing', () => {
    expect(rateBetween(reading(0, 0, 0, 0), reading(9000, 90, 45, 9))?.perSecond).toEqual({ placed: 10, confirmed: 5, rejected: 1 });
  });

  it('keeps the readings of the window, and the one before it where the oldest rate begins', () => {
    let readings: CountsReading[] = [];
    for (let at = 0; at <= 20_000; at += 3000) readings = withReading(readings, reading(at, at / 1000, 0, 0), 10_000);
    expect(readings.map((r) => r.at)).toEqual([6000, 9000, 12000, 15000, 18000]);
    expect(ratesOf(readings)).toHaveLength(4);
  });

  it('finds the highest rate of each outcome', () => {
    const rates = ratesOf([reading(0, 0, 0, 0), reading(1000, 4, 1, 0), reading(2000, 5, 4, 2)]);
    expect(highestRates(rates)).toEqual({ placed: 4, confirmed: 3, rejected: 2 });
    expect(highestRates([])).toEqual({ placed: 0, confirmed: 0, rejected: 0 });
  });
});
