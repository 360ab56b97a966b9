/** How long to wait before restarting a consumer that crashed, and when crashes count as a series. */
export interface RestartPolicy {
  /** Delay before the first restart of a series. */
  firstDelayMs: number;
  /** No delay is longer than this. */
  maxDelayMs: number;
  /** A crash less than this long after the last restart continues the series; a later one starts a new series. */
  calmAfterMs: number;
}

/** The launcher's own rule for crashed processes (ADR 0021), applied to a consumer inside its process. */
export const CONSUMER_RESTART_POLICY: RestartPolicy = { firstDelayMs: 1000, maxDelayMs: 30_000, calmAfterMs: 60_000 };

/**
 * Bounded exponential backoff for restarting a crashed consumer: 1 s after
 * a first crash, doubling for each further crash in a row (one that comes
 * less than `calmAfterMs` after the previous restart), at most `maxDelayMs`.
 * A consumer that ran calmly for a while starts a new series at the first
 * delay, so one that crashes now and then is always brought back quickly.
 */
export class RestartBackoff {
  private inARow = 0;
  private lastRestartAt?: number;

  constructor(
    private readonly policy: RestartPolicy = CONSUMER_RESTART_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** A crash happened now: how long to wait before the restart, and how many crashes in a row this makes. */
  crashed(): { delayMs: number; crashesInARow: number } {
    const calm = this.lastRestartAt === undefined || this.now() - this.lastRestartAt >= this.policy.calmAfterMs;
    this.inARow = calm ? 1 : this.inARow + 1;
    const delayMs = Math.min(this.policy.firstDelayMs * 2 ** Math.min(this.inARow - 1, 30), this.policy.maxDelayMs);
    return { delayMs, crashesInARow: this.inARow };
  }

  /** The consumer was started again now. */
  restarted(): void {
    this.lastRestartAt = this.now();
  }
}
