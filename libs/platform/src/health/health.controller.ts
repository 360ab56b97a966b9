import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import { BrokerProbe } from '@boxoffice/messaging';
import { ShardRouter, type DatabaseNode, type ShardNodes } from '@boxoffice/persistence';
import { SERVICE_IDENTITY, type ServiceIdentity } from '../service-identity.js';

const CHECK_TIMEOUT_MS = 1000;

/**
 * Liveness says the process can answer at all; readiness says it can do its
 * job within a second: a CP context needs every shard primary, an AP context
 * needs, per shard, any node it can read from (its reads fall back across
 * replicas and the primary); both need the Kafka cluster. The details show
 * every node and the replicas' lag, which costs one small query per node.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    @Optional() private readonly router?: ShardRouter,
    @Optional() private readonly broker?: BrokerProbe,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up({ instance: this.identity.instance })]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [];
    const router = this.router;
    router?.shards.forEach((shard, index) => checks.push(() => this.checkShard(`postgres-shard${index}`, shard, router.toleratesUnreachablePrimary)));
    const broker = this.broker;
    if (broker) checks.push(() => this.indicators.check('kafka').attempt(() => broker.check()).withTimeout(CHECK_TIMEOUT_MS));
    return this.health.check(checks);
  }

  private async checkShard(key: string, shard: ShardNodes, readsSuffice: boolean) {
    const [primary, ...replicas] = await Promise.all([
      probe(shard.primary, PRIMARY_REPLICATION),
      ...shard.replicas.map((replica) => probe(replica, REPLICA_LAG)),
    ]);
    const details = {
      primary: primary.up ? { status: 'up', standbys: primary.rows } : { status: 'down', error: primary.error },
      replicas: shard.replicas.map((replica, i) =>
        replicas[i].up ? { node: replica.label, status: 'up', lagSeconds: replicas[i].rows[0]?.lag_seconds ?? null } : { node: replica.label, status: 'down', error: replicas[i].error },
      ),
    };
    const indicator = this.indicators.check(key);
    const canWork = primary.up || (readsSuffice && replicas.some((r) => r.up));
    return canWork ? indicator.up(details) : indicator.down(details);
  }
}

/** On the primary: each standby, whether it is synchronous, and how far behind it is (bytes of WAL not yet replayed). */
const PRIMARY_REPLICATION = `SELECT application_name AS standby, state, sync_state,
  pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes FROM pg_stat_replication ORDER BY application_name`;

/**
 * On a replica: seconds since the last replayed transaction committed on the
 * primary; 0 when everything received is replayed (an idle primary is not lag).
 */
const REPLICA_LAG = `SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric, 3) END AS lag_seconds`;

type Probe = { up: true; rows: Record<string, unknown>[] } | { up: false; error: string };

async function probe(node: DatabaseNode, sql: string): Promise<Probe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)));
  try {
    const query = node.connected().then((dataSource: DataSource) => dataSource.query<Record<string, unknown>[]>(sql));
    query.catch(() => undefined);
    return { up: true, rows: await Promise.race([query, timeout]) };
  } catch (error) {
    return { up: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
