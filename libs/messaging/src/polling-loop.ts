import { WriteBatch } from '@boxoffice/persistence';

export interface PollingLoopOptions {
  /** How long an idle loop waits before looking again (`wake()` cuts it short). */
  idleMillis: number;
  /** Longest wait after repeated failures (database or broker down). */
  maxBackoffMillis?: number;
  /**
   * Whether a round that did `done` units leaves more to do at once; by
   * default any work found means look again. A loop that takes everything
   * there is up to a limit says `done >= limit`, and saves an empty round.
   */
  moreAfter?: (done: number) => boolean;
  onError?: (error: unknown) => void;
}

/**
 * Runs a unit of work for the life of the process: at once again while it
 * finds work (it returns how much it did), after `idleMillis` when it finds
 * none, with growing waits while it fails. Outbox relays, delivery
 * dispatchers and deadline sweepers all poll the database this way; replicas
 * share the work through row locks, not through any coordination here.
 */
export class PollingLoop {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  /** A wake() that came while the work was running: that round may have missed what the caller just committed. */
  private wokenDuringWork = false;

  constructor(
    private readonly work: () => Promise<number>,
    private readonly options: PollingLoopOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Lets the round in flight finish, so a rolling restart cuts nothing short. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeNow();
    await this.loop;
  }

  /**
   * Starts the next round now, e.g. right after a local commit created work.
   * Inside a batch of consumed messages that work is not committed yet: the
   * round starts once the batch has committed.
   */
  wake(): void {
    WriteBatch.afterCommit(() => this.wakeNow());
  }

  private wakeNow(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wokenDuringWork = true;
  }

  private async run(): Promise<void> {
    const { idleMillis, maxBackoffMillis = 5000, moreAfter = (done: number) => done > 0 } = this.options;
    let failures = 0;
    while (this.running) {
      let done = 0;
      this.wokenDuringWork = false;
      try {
        done = await this.work();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
      }
      if (failures === 0 && (moreAfter(done) || this.wokenDuringWork)) continue;
      await this.sleep(failures > 0 ? Math.min(maxBackoffMillis, idleMillis * 2 ** failures) : idleMillis);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
