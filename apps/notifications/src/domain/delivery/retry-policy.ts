export interface RetrySettings {
  /** Delay before the second attempt; each later one doubles it. */
  baseDelayMs: number;
  /** Attempts in all, the first included; after the last failure the delivery is `failed`. */
  maxAttempts: number;
  /** No single wait is longer than this. */
  maxDelayMs: number;
}

export type AfterFailure = { retryInMs: number } | 'give-up';

/**
 * Exponential backoff with jitter. The nominal delay after attempt n is
 * base·2^(n-1), capped; the actual one is drawn from [½, 1] of it, so
 * deliveries that failed together (a receiver that was down) do not all come
 * back at the same instant, and none comes back sooner than half the plan.
 */
export class RetryPolicy {
  constructor(readonly settings: RetrySettings) {
    if (!(settings.baseDelayMs > 0) || !(settings.maxDelayMs >= settings.baseDelayMs) || !(settings.maxAttempts >= 1)) {
      throw new Error('retry settings need baseDelayMs > 0, maxDelayMs ≥ baseDelayMs and maxAttempts ≥ 1');
    }
  }

  /** `attempt` is the number of the attempt that just failed (1 for the first); `random` is in [0, 1). */
  afterFailure(attempt: number, random: number = Math.random()): AfterFailure {
    if (attempt >= this.settings.maxAttempts) return 'give-up';
    const nominal = Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (attempt - 1));
    return { retryInMs: Math.round(nominal / 2 + (nominal / 2) * random) };
  }
}
