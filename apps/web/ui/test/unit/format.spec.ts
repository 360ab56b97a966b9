import { describe, expect, it } from '@jest/globals';
import { formatDate } from '../../src/app/api';

/**
 * A show's time is shown in the browser's time zone, and says which: the
 * console's form takes it in UTC, so a bare "8:00 PM" would be ambiguous.
 */
describe("a show's time on the pages", () => {
  it('names the time zone it is written in', () => {
    expect(formatDate('2026-12-13T20:00:00Z', 'America/New_York')).toBe('Sunday, December 13, 2026 at 3:00 PM EST');
    expect(formatDate('2026-12-13T20:00:00Z', 'UTC')).toBe('Sunday, December 13, 2026 at 8:00 PM UTC');
    expect(formatDate('2026-12-13T20:00:00Z')).toMatch(/ at \d{1,2}:\d{2} [AP]M \S+$/);
  });
});
