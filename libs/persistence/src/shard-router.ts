import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import type { BucketMap } from './bucket-map.js';
import { DEFAULT_POOL_SIZE, DEFAULT_WRITE_TIMEOUT_MS, type DatabaseConfig } from './database-config.js';
import { DatabaseNode } from './database-node.js';
import { MIGRATIONS_TABLE } from './migrations-table.js';
import { DatabaseUnavailableError } from './database-unavailable.js';
import { ReplicaReader } from './replica-reader.js';
import { GuardedClient, PreparingClient } from './guarded-client.js';
import { ShardCluster } from './shard-cluster.js';
import { ShardWriter } from './shard-writer.js';

export interface ShardRouterOptions {
  /** Names the connections in `pg_stat_activity`. */
  applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Overrides the configuration's pool size (DB_POOL_SIZE); `migrate` needs only 2. */
  poolSize?: number;
  /**
   * AP contexts boot and serve reads while a primary is down: nodes that do
   * not answer at boot are connected on first use. CP contexts (the default)
   * refuse to start without every primary.
   */
  tolerateUnreachable?: boolean;
}

/**
 * The routing from a shard key to the right physical shard, with one TypeORM
 * DataSource per Postgres node. Contexts ask for `writerForKey(showId)` or
 * `readerForKey(showId)` and never learn how many shards exist, where they
 * are, or which node of a shard is the primary right now (ShardCluster).
 *
 * TypeORM's own `replication` option is not used: it picks a replica at
 * random without any health check, and fails to start if any host is down.
 */
export class ShardRouter {
  private readonly logger = new Logger('ShardRouter');
  private readonly writers: ShardWriter[];
  private readonly readers: ReplicaReader[];

  private constructor(
    readonly shards: readonly ShardCluster[],
    readonly bucketMap: BucketMap,
    private readonly options: ShardRouterOptions,
    /** The bound on a write (DB_WRITE_TIMEOUT_MS). */
    readonly writeTimeoutMs: number,
  ) {
    this.writers = shards.map((shard) => new ShardWriter(shard, writeTimeoutMs));
    this.readers = shards.map((shard) => new ReplicaReader(shard.index, shard));
  }

  static create(config: DatabaseConfig, options: ShardRouterOptions): ShardRouter {
    const shards = config.shards.map(
      (shard, index) =>
        new ShardCluster(
          index,
          [shard.primary, ...shard.replicas].map((url, n) => new DatabaseNode(new DataSource(nodeOptions(url, { ...options, poolSize: options.poolSize ?? config.poolSize }, config.preparedStatements ?? true)), `shard${index}-node${n}`)),
        ),
    );
    return new ShardRouter(shards, config.bucketMap, options, config.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS);
  }

  /**
   * Connects every node it can and finds each shard's primary (the configured
   * one, or a standby promoted since). A CP context fails when a shard has no
   * primary; an AP one starts anyway and connects the missing nodes on first
   * use. Replicas are always optional.
   */
  async initialize(): Promise<void> {
    await Promise.all(
      this.shards.map(async (shard) => {
        const found = await shard.locatePrimary();
        for (const node of shard.nodes) {
          if (!node.dataSource.isInitialized) this.logger.warn({ msg: 'database node unreachable at boot; will connect on first use', node: node.label });
        }
        if (!found && !this.options.tolerateUnreachable) {
          throw new DatabaseUnavailableError(shard.index, `no primary among ${shard.nodes.map((n) => n.label).join(', ')}`);
        }
      }),
    );
  }

  async destroy(): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.close()));
  }

  /** AP: boots, reads and is ready without its primaries (see ShardRouterOptions). */
  get toleratesUnreachablePrimary(): boolean {
    return this.options.tolerateUnreachable ?? false;
  }

  /** Reads on the primary of the key's shard (CP reads; writes go through `writerForKey`). */
  forKey(shardKey: string): DataSource {
    return this.shards[this.bucketMap.shardOf(shardKey)].primaryDataSource();
  }

  /**
   * Transactions on the primary of the key's shard, each committed within
   * DB_WRITE_TIMEOUT_MS or failed with DatabaseUnavailableError (503): see
   * boundedTransaction for why, and what the caller must guarantee.
   */
  writerForKey(shardKey: string): ShardWriter {
    return this.writers[this.bucketMap.shardOf(shardKey)];
  }

  /** The writer of one shard by index: sweepers and outbox relays, which work shard by shard. */
  writerForShard(shard: number): ShardWriter {
    const writer = this.writers.at(shard);
    if (!writer || shard < 0) throw new Error(`no shard ${shard}; there are ${this.writers.length}`);
    return writer;
  }

  /** Every shard's writer, in shard order: sweeps that visit each shard in turn. */
  everyWriter(): readonly ShardWriter[] {
    return this.writers;
  }

  /** The writer of an unsharded context. */
  writer(): ShardWriter {
    this.expectOneShard();
    return this.writers[0];
  }

  /** AP reads of the key's shard: replicas first, then the primary. */
  readerForKey(shardKey: string): ReplicaReader {
    return this.readers[this.bucketMap.shardOf(shardKey)];
  }

  /** AP reads of an unsharded context (which must keep reading while its primary is down). */
  reader(): ReplicaReader {
    this.expectOneShard();
    return this.readers[0];
  }

  shardIndexOf(shardKey: string): number {
    return this.bucketMap.shardOf(shardKey);
  }

  shardCount(): number {
    return this.shards.length;
  }

  /** Every shard's primary, for migrations and scatter-gather admin reads. */
  all(): DataSource[] {
    return this.shards.map((shard) => shard.primaryDataSource());
  }

  /** Reads on the primary of an unsharded context, which has exactly one shard. */
  single(): DataSource {
    this.expectOneShard();
    return this.shards[0].primaryDataSource();
  }

  private expectOneShard(): void {
    if (this.shards.length !== 1) throw new Error(`expected one shard, found ${this.shards.length}`);
  }

  /**
   * Several processes may migrate at once (in Kubernetes every new pod runs
   * `migrate` first): a session advisory lock per database lets one apply the
   * pending migrations while the others wait, then find nothing left to do.
   */
  async runMigrations(): Promise<number> {
    let applied = 0;
    for (const ds of this.all()) {
      const lock = ds.createQueryRunner();
      await lock.connect();
      try {
        await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        applied += (await ds.runMigrations({ transaction: 'each' })).length;
      } finally {
        // Closing the session would release the lock too; unlock first so the pool can reuse it.
        await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).finally(() => lock.release());
      }
    }
    return applied;
  }
}

/** Any fixed number: advisory locks are scoped to one database. */
const MIGRATION_LOCK = 7_001_764;

/** One shape for every node: a replica may be promoted and take the writes (and migrations) later. */
function nodeOptions(url: string, options: ShardRouterOptions, preparedStatements: boolean): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    synchronize: false,
    logging: ['error'],
    applicationName: options.applicationName,
    extra: {
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      // A node that stops answering must surface as an error, not a hung request,
      // and a reader must move on to the next node quickly.
      connectionTimeoutMillis: 2000,
      Client: preparedStatements ? PreparingClient : GuardedClient,
    },
  };
}
