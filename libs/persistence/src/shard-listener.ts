import { Logger } from '@nestjs/common';
import type { Notification, Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { withDeadline } from './deadline.js';
import type { ShardCluster } from './shard-cluster.js';

export interface ShardListenerHandlers {
  /** A NOTIFY on the channel, committed on this shard's primary. */
  notified(payload: string): void;
  /**
   * The listening connection is up (again). Whatever was notified while it was
   * down was missed, so anyone waiting should look again.
   */
  listening(): void;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Postgres LISTEN on one channel of one shard's primary, kept up by itself:
 * the connection is one taken from the primary's pool for good (and destroyed,
 * never handed back still listening), and when it breaks (a restart, a
 * failover) another is opened on whichever node is the primary then, and
 * `listening()` says that notifications may have been missed.
 *
 * NOTIFY is transactional: a listener hears of a change only once it has
 * committed (and, in a CP database, once the standby has it), and never of a
 * change that rolled back. Only a primary can be listened to: a standby
 * refuses LISTEN, and is retried until the shard has a primary.
 */
export class ShardListener {
  private readonly logger = new Logger('ShardListener');
  private client?: PoolClient;
  /** The node listened on: after a failover the shard's primary is another one. */
  private listenedOn?: DataSource;
  private retryTimer?: NodeJS.Timeout;
  private checkTimer?: NodeJS.Timeout;
  private stopped = false;
  private connecting = false;

  constructor(
    private readonly cluster: ShardCluster,
    private readonly channel: string,
    private readonly handlers: ShardListenerHandlers,
    private readonly retryMillis = 1000,
    /** How often a listening connection is checked (and compared with the shard's current primary). */
    private readonly checkMillis = 5000,
  ) {
    if (!IDENTIFIER.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  }

  /** Whether notifications are being received right now. */
  get isListening(): boolean {
    return this.client !== undefined;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
    // A connection that only listens sends nothing, so a node that vanished without closing it (a lost
    // machine, a partition) is never noticed by waiting: ask it something now and then, and follow a failover.
    this.checkTimer = setInterval(() => void this.check(), this.checkMillis);
    this.checkTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.checkTimer);
    const client = this.client;
    this.client = undefined;
    client?.release(true);
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting || this.client) return;
    this.connecting = true;
    let client: PoolClient | undefined;
    try {
      const dataSource = this.cluster.primaryDataSource();
      const pool = (dataSource.driver as PostgresDriver).master as Pool;
      client = await pool.connect();
      const taken = client;
      taken.on('notification', (message: Notification) => {
        if (message.channel === this.channel) this.handlers.notified(message.payload ?? '');
      });
      taken.on('error', (error) => this.lost(taken, error));
      taken.on('end', () => this.lost(taken, 'connection ended'));
      await taken.query(`LISTEN ${this.channel}`);
      if (this.stopped) {
        taken.release(true);
        return;
      }
      this.client = taken;
      this.listenedOn = dataSource;
      this.handlers.listening();
    } catch (error) {
      client?.release(true);
      this.cluster.primaryLost();
      this.retryLater(error);
    } finally {
      this.connecting = false;
    }
  }

  private async check(): Promise<void> {
    const client = this.client;
    if (!client || this.stopped) return;
    let current: DataSource | undefined;
    try {
      current = this.cluster.primaryDataSource();
    } catch {
      // No usable primary right now: keep listening where we are until there is one.
    }
    if (current && current !== this.listenedOn) return this.lost(client, 'the shard has another primary now');
    try {
      await withDeadline(client.query('SELECT 1'), this.checkMillis, () => new Error('the listening connection stopped answering'));
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: PoolClient, reason: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.release(true);
    this.cluster.primaryLost();
    this.retryLater(reason);
  }

  private retryLater(reason: unknown): void {
    if (this.stopped) return;
    this.logger.warn({ msg: 'not listening; trying again', shard: this.cluster.index, channel: this.channel, reason: reason instanceof Error ? reason.message : String(reason) });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMillis);
    this.retryTimer.unref();
  }
}
