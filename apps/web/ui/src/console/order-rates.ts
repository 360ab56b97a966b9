/**
 * Orders per second, derived in the browser from successive readings of
 * counts that only grow (GET /admin/ops/orders, docs/adr/0038): the rate
 * over an interval is what the counts rose by, over the time this browser
 * measured between the two readings. No clock but the browser's own is used,
 * so clocks of the servers that answered need not agree.
 */
export const OUTCOMES = ['placed', 'confirmed', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type OutcomeCounts = Record<Outcome, number>;

/** One answer, and when it was read on the browser's monotonic clock (`performance.now()`, milliseconds). */
export interface CountsReading {
  at: number;
  counts: OutcomeCounts;
}

/** The orders per second over the interval that ends at `at`. */
export interface RatePoint {
  at: number;
  perSecond: OutcomeCounts;
}

/**
 * The rate of each outcome between two readings. A count that went down
 * (counts kept per process that restarted, or a database put back from a
 * backup) says nothing about that interval: its rate is 0 there, never
 * negative and never the whole new count, and the next interval is measured
 * from the lower count. Null when no time passed between them.
 */
export function rateBetween(earlier: CountsReading, later: CountsReading): RatePoint | null {
  const seconds = (later.at - earlier.at) / 1000;
  if (!(seconds > 0)) return null;
  const perSecond = {} as OutcomeCounts;
  for (const outcome of OUTCOMES) perSecond[outcome] = Math.max(0, later.counts[outcome] - earlier.counts[outcome]) / seconds;
  return { at: later.at, perSecond };
}

/** The rates between each reading and the next. */
export function ratesOf(readings: readonly CountsReading[]): RatePoint[] {
  const rates: RatePoint[] = [];
  for (let i = 1; i < readings.length; i++) {
    const rate = rateBetween(readings[i - 1]!, readings[i]!);
    if (rate) rates.push(rate);
  }
  return rates;
}

/** The readings with a new one added, keeping those within `windowMillis` of it (and the one just before, where the oldest rate starts). */
export function withReading(readings: readonly CountsReading[], reading: CountsReading, windowMillis: number): CountsReading[] {
  const all = [...readings, reading];
  const firstInWindow = all.findIndex((r) => reading.at - r.at <= windowMillis);
  return all.slice(Math.max(0, firstInWindow - 1));
}

/** The highest rate of each outcome over the rates given (0 when there are none). */
export function highestRates(rates: readonly RatePoint[]): OutcomeCounts {
  const highest: OutcomeCounts = { placed: 0, confirmed: 0, rejected: 0 };
  for (const { perSecond } of rates) for (const outcome of OUTCOMES) highest[outcome] = Math.max(highest[outcome], perSecond[outcome]);
  return highest;
}
