import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions, type EntityManager, type MixedList, type EntitySchema } from 'typeorm';
import type { BucketMap } from './bucket-map.js';
import { boundedTransaction } from './bounded-transaction.js';
import { DEFAULT_WRITE_TIMEOUT_MS, type DatabaseConfig } from './database-config.js';
import { DatabaseNode } from './database-node.js';
import { DatabaseUnavailableError } from './database-unavailable.js';
import { ReplicaReader } from './replica-reader.js';

export interface ShardRouterOptions {
  /** Names the connections in `pg_stat_activity`. */
  applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  /**
   * AP contexts boot and serve reads while a primary is down: nodes that do
   * not answer at boot are connected on first use. CP contexts (the default)
   * refuse to start without every primary.
   */
  tolerateUnreachable?: boolean;
}

/** A physical shard: its primary (reads and writes) and its streaming replicas (AP reads). */
export interface ShardNodes {
  primary: DatabaseNode;
  replicas: DatabaseNode[];
}

/**
 * One TypeORM DataSource per physical shard primary (and one per replica, for
 * AP reads), and the routing from a shard key to the right one. Contexts ask
 * for `forKey(showId)` and never learn how many shards exist or where they are.
 *
 * TypeORM's own `replication` option is not used: it picks a replica at
 * random without any health check, and fails to start if any host is down.
 */
export class ShardRouter {
  private readonly logger = new Logger('ShardRouter');
  private readonly dataSources: DataSource[];
  private readonly readers: ReplicaReader[];

  private constructor(
    readonly shards: ShardNodes[],
    readonly bucketMap: BucketMap,
    private readonly options: ShardRouterOptions,
    /** The bound on a CP write (DB_WRITE_TIMEOUT_MS). */
    readonly writeTimeoutMs: number,
  ) {
    this.dataSources = shards.map((shard) => shard.primary.dataSource);
    this.readers = shards.map((shard, index) => new ReplicaReader(index, shard.replicas, shard.primary));
  }

  static create(config: DatabaseConfig, options: ShardRouterOptions): ShardRouter {
    const shards = config.shards.map((shard, index) => ({
      primary: new DatabaseNode(new DataSource(primaryOptions(shard.primary, options)), `shard${index}-primary`),
      replicas: shard.replicas.map((url, r) => new DatabaseNode(new DataSource(replicaOptions(url, options)), `shard${index}-replica${r + 1}`)),
    }));
    return new ShardRouter(shards, config.bucketMap, options, config.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS);
  }

  /**
   * Connects every primary (and replica). A CP context fails when a primary
   * cannot be reached; an AP one starts anyway and connects the missing nodes
   * on first use. Replicas are always optional.
   */
  async initialize(): Promise<void> {
    const nodes = this.shards.flatMap((shard) => [shard.primary, ...shard.replicas]);
    await Promise.all(
      nodes.map((node) =>
        node.connected().catch((error: unknown) => {
          const isPrimary = this.shards.some((shard) => shard.primary === node);
          if (isPrimary && !this.options.tolerateUnreachable) throw error;
          node.markDown();
          this.logger.warn({ msg: 'database node unreachable at boot; will connect on first use', node: node.label, error: String(error) });
        }),
      ),
    );
  }

  async destroy(): Promise<void> {
    await Promise.all(this.shards.flatMap((shard) => [shard.primary, ...shard.replicas]).map((node) => node.close()));
  }

  /** AP: boots, reads and is ready without its primaries (see ShardRouterOptions). */
  get toleratesUnreachablePrimary(): boolean {
    return this.options.tolerateUnreachable ?? false;
  }

  /** The primary of the shard that owns this key's bucket. */
  forKey(shardKey: string): DataSource {
    return this.primaryOf(this.bucketMap.shardOf(shardKey));
  }

  /**
   * A CP write on the primary of the key's shard that commits within
   * DB_WRITE_TIMEOUT_MS or fails with DatabaseUnavailableError (503): see
   * boundedTransaction for why, and what the caller must guarantee.
   */
  writeForKey<T>(shardKey: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const shard = this.bucketMap.shardOf(shardKey);
    return boundedTransaction(shard, this.primaryOf(shard), this.writeTimeoutMs, work);
  }

  /** AP reads of the key's shard: replicas first, then the primary. */
  readerForKey(shardKey: string): ReplicaReader {
    return this.readers[this.bucketMap.shardOf(shardKey)];
  }

  /** AP reads of an unsharded context. */
  reader(): ReplicaReader {
    this.single();
    return this.readers[0];
  }

  shardIndexOf(shardKey: string): number {
    return this.bucketMap.shardOf(shardKey);
  }

  /** Every shard, for migrations, outbox relays and scatter-gather admin reads. */
  all(): readonly DataSource[] {
    return this.dataSources;
  }

  /** Unsharded contexts have exactly one shard. */
  single(): DataSource {
    if (this.dataSources.length !== 1) throw new Error(`expected one shard, found ${this.dataSources.length}`);
    return this.primaryOf(0);
  }

  /**
   * A primary that was down at boot (AP contexts only) is not connected yet:
   * writes fail fast with 503 while a connection is attempted in the background.
   */
  private primaryOf(shard: number): DataSource {
    const node = this.shards[shard].primary;
    if (!node.dataSource.isInitialized) {
      node.connected().catch(() => node.markDown());
      throw new DatabaseUnavailableError(shard, 'the primary is not connected');
    }
    return node.dataSource;
  }

  /**
   * Several processes may migrate at once (in Kubernetes every new pod runs
   * `migrate` first): a session advisory lock per database lets one apply the
   * pending migrations while the others wait, then find nothing left to do.
   */
  async runMigrations(): Promise<number> {
    let applied = 0;
    for (const ds of this.dataSources) {
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

function primaryOptions(url: string, options: ShardRouterOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: ['error'],
    applicationName: options.applicationName,
    extra: {
      max: options.poolSize ?? 10,
      // A primary that stops answering must surface as an error, not a hung request.
      connectionTimeoutMillis: 3000,
    },
  };
}

/** Replicas only serve reads; a short connect timeout lets a reader move on to the next node quickly. */
function replicaOptions(url: string, options: ShardRouterOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: options.entities,
    synchronize: false,
    logging: ['error'],
    applicationName: `${options.applicationName}-reader`,
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 1000 },
  };
}
