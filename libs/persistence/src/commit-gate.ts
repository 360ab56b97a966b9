export type Admission = 'open' | 'trial' | 'refused';

/**
 * Keeps a shard whose commits stall from piling up waiting sessions. A CP
 * commit with no synchronous standby waits on the primary for ever, and the
 * session goes on waiting after we give up on it (boundedTransaction), so
 * every attempt during a long outage would leave one more session behind,
 * until `max_connections` runs out. Once a commit has timed out, writes are
 * refused at once (503 at the edge, a retry for a consumer), except one
 * trial write at a time, at most one per `trialIntervalMs` (ShardWriter also
 * sends a tiny probe as the trial every second); the first trial that commits
 * opens the gate again. A circuit breaker, per shard and per
 * process; it needs no privileges on the database.
 */
export class CommitGate {
  private stalled = false;
  private trialInFlight = false;
  private nextTrialAt = 0;

  constructor(
    private readonly trialIntervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get isStalled(): boolean {
    return this.stalled;
  }

  /** Before a write: go ahead (`open`), go ahead as the trial, or stay out. */
  admit(): Admission {
    if (!this.stalled) return 'open';
    if (this.trialInFlight || this.now() < this.nextTrialAt) return 'refused';
    this.trialInFlight = true;
    return 'trial';
  }

  /** After an admitted write, with what became of its commit. */
  settle(admission: Exclude<Admission, 'refused'>, outcome: 'committed' | 'timed-out' | 'failed'): void {
    if (admission === 'trial') this.trialInFlight = false;
    if (outcome === 'committed') this.stalled = false;
    if (outcome === 'timed-out') {
      this.stalled = true;
      this.nextTrialAt = this.now() + this.trialIntervalMs;
    }
  }
}
