import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import type { BucketMap } from './bucket-map.js';
import type { DatabaseConfig } from './database-config.js';

export interface ShardRouterOptions {
  /** Names the connections in `pg_stat_activity`. */
  applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

/**
 * One TypeORM DataSource per physical shard (its primary), and the routing
 * from a shard key to the right one. Contexts ask for `forKey(showId)` and
 * never learn how many shards exist or where they are.
 */
export class ShardRouter {
  private constructor(
    private readonly dataSources: DataSource[],
    readonly bucketMap: BucketMap,
  ) {}

  static create(config: DatabaseConfig, options: ShardRouterOptions): ShardRouter {
    const dataSources = config.shards.map((shard) => new DataSource(primaryOptions(shard.primary, options)));
    return new ShardRouter(dataSources, config.bucketMap);
  }

  async initialize(): Promise<void> {
    await Promise.all(this.dataSources.filter((ds) => !ds.isInitialized).map((ds) => ds.initialize()));
  }

  async destroy(): Promise<void> {
    await Promise.all(this.dataSources.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
  }

  /** The shard that owns this key's bucket. */
  forKey(shardKey: string): DataSource {
    return this.dataSources[this.bucketMap.shardOf(shardKey)];
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
    return this.dataSources[0];
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
