import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ShardRouter } from '@boxoffice/persistence';
import type { ServiceIdentity } from '../service-identity.js';
import { PRIMARY_REPLICATION, PRIMARY_REPLICATION_AND_OUTBOX, probeShard } from '../health/shard-probe.js';
import { databaseSamples, type Sample } from './database-samples.js';

/** Every metric name starts with this, so a shared Prometheus can tell ours apart. */
export const METRIC_PREFIX = 'boxoffice_';

/**
 * The process's Prometheus metrics: Node's defaults, and for a context with
 * data, each database node's state, measured when scraped with the same
 * bounded queries as /health/ready (so a dead node costs at most a second,
 * never a hung scrape).
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  private readonly nodeUp: Gauge;
  private readonly replicaLag: Gauge;
  private readonly standbyLag: Gauge;
  private readonly outbox: Gauge;
  /** Concurrent scrapes share one round of probes: the gauges are reset and refilled per round. */
  private inflight?: Promise<string>;

  constructor(
    identity: ServiceIdentity,
    private readonly router?: ShardRouter,
    private readonly options: { outbox: boolean } = { outbox: false },
  ) {
    // `instance` is left to Prometheus (the scraped target); `service` groups the replicas of one app.
    this.registry.setDefaultLabels({ service: identity.service });
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    const registers = [this.registry];
    this.nodeUp = new Gauge({ name: `${METRIC_PREFIX}db_node_up`, help: 'Whether the database node answered a probe within a second (1) or not (0)', labelNames: ['shard', 'node', 'role'], registers });
    this.replicaLag = new Gauge({
      name: `${METRIC_PREFIX}db_replica_lag_seconds`,
      help: 'Seconds since the last transaction the replica replayed committed on the primary; 0 when it has replayed all it received. Absent when the replica did not answer.',
      labelNames: ['shard', 'node'],
      registers,
    });
    this.standbyLag = new Gauge({ name: `${METRIC_PREFIX}db_standby_lag_bytes`, help: 'Bytes of WAL a standby has not replayed yet, as its primary sees it', labelNames: ['shard', 'standby'], registers });
    this.outbox = new Gauge({ name: `${METRIC_PREFIX}outbox_unpublished_messages`, help: 'Outbox rows not yet published to Kafka', labelNames: ['shard'], registers });
  }

  /** The exposition text (Prometheus format 0.0.4). */
  scrape(): Promise<string> {
    this.inflight ??= this.collect().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async collect(): Promise<string> {
    const router = this.router;
    if (router) {
      const primaryQuery = this.options.outbox ? PRIMARY_REPLICATION_AND_OUTBOX : PRIMARY_REPLICATION;
      const samples = databaseSamples(await Promise.all(router.shards.map((shard) => probeShard(shard, primaryQuery))));
      refill(this.nodeUp, samples.nodeUp);
      refill(this.replicaLag, samples.replicaLagSeconds);
      refill(this.standbyLag, samples.standbyLagBytes);
      refill(this.outbox, samples.outboxUnpublished);
    }
    return this.registry.metrics();
  }
}

/** A node that disappears from the answers must disappear from the gauge too. */
function refill(gauge: Gauge, samples: Sample[]): void {
  gauge.reset();
  for (const { labels, value } of samples) gauge.set(labels, value);
}
