import { applyClockOffset, relayCrashPointFromEnv } from '../../src/fault-injection.js';

describe('test-only fault injection settings', () => {
  const RealDate = Date;
  afterEach(() => {
    globalThis.Date = RealDate;
  });

  it('leaves the clock alone when CLOCK_OFFSET_MS is unset or 0', () => {
    expect(applyClockOffset({})).toBe(0);
    expect(applyClockOffset({ CLOCK_OFFSET_MS: '0' })).toBe(0);
    expect(Date).toBe(RealDate);
  });

  it('shifts every reading of the wall clock, and only those', () => {
    const before = RealDate.now();
    expect(applyClockOffset({ CLOCK_OFFSET_MS: String(-5 * 60_000) })).toBe(-300_000);
    const shifted = Date.now();
    expect(shifted).toBeLessThanOrEqual(before - 300_000 + 1000);
    expect(shifted).toBeGreaterThanOrEqual(before - 300_000);
    expect(Math.abs(new Date().getTime() - shifted)).toBeLessThan(1000);
    // Explicit dates, parsing and instanceof are untouched.
    expect(new Date('2027-03-01T20:00:00Z').toISOString()).toBe('2027-03-01T20:00:00.000Z');
    expect(new Date(0).getTime()).toBe(0);
    expect(Date.parse('1970-01-01T00:00:01Z')).toBe(1000);
    expect(new Date()).toBeInstanceOf(RealDate);
    expect(new RealDate()).toBeInstanceOf(Date);
    expect(typeof (Date as unknown as () => string)()).toBe('string');
  });

  it('refuses an offset that is not a whole number of milliseconds within a day', () => {
    expect(() => applyClockOffset({ CLOCK_OFFSET_MS: '5m' })).toThrow(/CLOCK_OFFSET_MS/);
    expect(() => applyClockOffset({ CLOCK_OFFSET_MS: String(2 * 24 * 3600 * 1000) })).toThrow(/CLOCK_OFFSET_MS/);
    expect(Date).toBe(RealDate);
  });

  it('reads FAULT_RELAY_CRASH', () => {
    expect(relayCrashPointFromEnv({})).toBeUndefined();
    expect(relayCrashPointFromEnv({ FAULT_RELAY_CRASH: 'after-read' })).toBe('after-read');
    expect(relayCrashPointFromEnv({ FAULT_RELAY_CRASH: 'after-publish' })).toBe('after-publish');
    expect(() => relayCrashPointFromEnv({ FAULT_RELAY_CRASH: 'sometimes' })).toThrow(/FAULT_RELAY_CRASH/);
  });
});
