import { RetryPolicy } from '../../src/domain/delivery/retry-policy.js';

const policy = new RetryPolicy({ baseDelayMs: 1000, maxAttempts: 5, maxDelayMs: 5000 });

describe('RetryPolicy', () => {
  it('doubles the delay after each failed attempt, up to the cap', () => {
    const highest = [1, 2, 3, 4].map((attempt) => policy.afterFailure(attempt, 1));
    expect(highest).toEqual([{ retryInMs: 1000 }, { retryInMs: 2000 }, { retryInMs: 4000 }, { retryInMs: 5000 }]);
  });

  it('jitters each delay between half and all of its nominal value', () => {
    expect(policy.afterFailure(3, 0)).toEqual({ retryInMs: 2000 });
    expect(policy.afterFailure(3, 0.5)).toEqual({ retryInMs: 3000 });
    for (let i = 0; i < 200; i++) {
      const next = policy.afterFailure(2);
      if (next === 'give-up') throw new Error('should retry');
      expect(next.retryInMs).toBeGreaterThanOrEqual(1000);
      expect(next.retryInMs).toBeLessThanOrEqual(2000);
    }
  });

  it('gives up after the last allowed attempt', () => {
    expect(policy.afterFailure(4, 0)).not.toBe('give-up');
    expect(policy.afterFailure(5, 0)).toBe('give-up');
    expect(new RetryPolicy({ baseDelayMs: 10, maxAttempts: 1, maxDelayMs: 10 }).afterFailure(1)).toBe('give-up');
  });

  it('refuses settings that would retry at once or never try', () => {
    expect(() => new RetryPolicy({ baseDelayMs: 0, maxAttempts: 3, maxDelayMs: 10 })).toThrow();
    expect(() => new RetryPolicy({ baseDelayMs: 10, maxAttempts: 0, maxDelayMs: 10 })).toThrow();
    expect(() => new RetryPolicy({ baseDelayMs: 10, maxAttempts: 3, maxDelayMs: 5 })).toThrow();
  });
});
