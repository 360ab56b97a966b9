/**
 * Keeps a shard whose commits stall from piling up waiting sessions. A CP
 * commit with no synchronous standby waits on the primary for ever, and the
 * session goes on waiting after we give up on it (boundedTransaction), so
 * every attempt during a long outage would leave one more session behind,
 * until `max_connections` runs out. Once a commit has timed out, the shard's
 * writes are refused at once (503 at the edge, a retry for a consumer), and a
 * probe (a tiny write that takes a transaction id, so its commit waits for a
 * standby) tries every second; the first that commits opens the gate again.
 * Only the probe decides: another transaction's commit proves nothing, since
 * one that wrote nothing commits without any standby. Per shard and per
 * process; it needs no privileges on the database.
 */
export class CommitGate {
  private stalled = false;
  private probing = false;
  private closed = false;

  constructor(private readonly probeIntervalMs = 1000) {}

  get isStalled(): boolean {
    return this.stalled;
  }

  /** A commit timed out: refuse writes until `probe` (true: it committed) says commits are confirmed again. */
  stall(probe: () => Promise<boolean>): void {
    this.stalled = true;
    if (this.probing) return;
    this.probing = true;
    void (async () => {
      try {
        while (this.stalled && !this.closed) {
          await new Promise((resolve) => setTimeout(resolve, this.probeIntervalMs).unref());
          // Closed while waiting: the shard's pools are closing too.
          if (!this.closed && (await probe().catch(() => false))) this.stalled = false;
        }
      } finally {
        this.probing = false;
      }
    })();
  }

  /** The process is shutting down: no more probes. */
  close(): void {
    this.closed = true;
  }
}
