import type { DataSource } from 'typeorm';

/** How long a node that failed to answer is skipped before it is tried again. */
const DOWN_MEMORY_MS = 5000;

/**
 * One Postgres node (a shard's primary or one of its replicas) and what we
 * remember about it: its DataSource, connected lazily (a node that is down at
 * boot is connected on first use after it comes back), and whether it failed
 * recently, so readers skip it without waiting for another connect timeout.
 */
export class DatabaseNode {
  private connecting?: Promise<DataSource>;
  private downUntil = 0;
  private closed = false;

  constructor(
    readonly dataSource: DataSource,
    /** e.g. `shard0-primary`, `shard1-replica1`: health details and logs. */
    readonly label: string,
  ) {}

  /** The connected DataSource; connects on first use and after a failed attempt, never once closed. */
  connected(): Promise<DataSource> {
    // A late caller (a background search for the primary) must not open a new pool behind a shutdown.
    if (this.closed) return Promise.reject(new Error(`database node ${this.label} is closed`));
    if (this.dataSource.isInitialized) return Promise.resolve(this.dataSource);
    this.connecting ??= this.dataSource.initialize().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  get recentlyDown(): boolean {
    return Date.now() < this.downUntil;
  }

  markDown(): void {
    this.downUntil = Date.now() + DOWN_MEMORY_MS;
  }

  markUp(): void {
    this.downUntil = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
