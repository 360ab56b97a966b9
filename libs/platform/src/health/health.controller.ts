import { Controller, Get, Inject, Optional, UseFilters } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { BrokerProbe } from '@boxoffice/messaging';
import { ShardRouter, type ShardNodes } from '@boxoffice/persistence';
import { WithoutCallerToken } from '../auth/caller.guard.js';
import { SERVICE_IDENTITY, type ServiceIdentity } from '../service-identity.js';
import { ConsumerHealth } from './consumer-health.js';
import { HealthCheckFailedFilter } from './health-check-failed.filter.js';
import { PROBE_TIMEOUT_MS, probeShard } from './shard-probe.js';
import { type UpstreamContext, UpstreamProbe } from './upstream-probe.js';

/**
 * Liveness says the process can answer at all; readiness says it can do its
 * job within a second. Each indicator is `up`, `degraded` (it serves, but
 * less: HTTP 200, overall status `degraded`) or `down` (503):
 * - Postgres, per shard: a CP context needs every shard primary; an AP context
 *   reads from any node of the shard (its reads fall back across replicas and
 *   the primary), so it is degraded, not down, while only the primary is gone.
 * - Kafka: CP contexts need it; AP contexts serve reads and store writes in
 *   their outbox without it, so they are degraded while it is gone.
 * - Upstream contexts (the gateway): degraded while some replicas of a
 *   context do not answer, down when none does.
 * The details show every node and the replicas' lag, which costs one small
 * query per node, and every upstream replica (docs/cap.md, ADR 0021).
 */
@WithoutCallerToken()
@Controller('health')
@UseFilters(HealthCheckFailedFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    @Optional() private readonly router?: ShardRouter,
    @Optional() private readonly broker?: BrokerProbe,
    @Optional() private readonly consumer?: ConsumerHealth,
    @Optional() private readonly upstreams?: UpstreamProbe,
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
    // AP: serves its reads without a shard's primary or the broker; what it cannot do then degrades it (docs/cap.md).
    const ap = router?.toleratesUnreachablePrimary ?? false;
    router?.shards.forEach((shard, index) => checks.push(() => this.checkShard(`postgres-shard${index}`, shard, ap)));
    const broker = this.broker;
    // Both the broker's and the consumer's checks wait for one probe of the broker.
    const brokerProbe = broker ? this.checkBroker(broker, ap) : undefined;
    if (brokerProbe) checks.push(() => brokerProbe);
    const upstreams = this.upstreams;
    upstreams?.contexts.forEach((context) => checks.push(() => this.checkUpstream(upstreams, context)));
    const consumer = this.consumer;
    if (consumer?.watching) checks.push(() => this.checkConsumer(consumer, ap, brokerProbe));
    return this.health.check(checks);
  }

  private async checkShard(key: string, shard: ShardNodes, readsSuffice: boolean) {
    const { primary, replicas } = await probeShard(shard);
    const details = {
      primary: primary.probe.up ? { status: 'up', standbys: primary.probe.rows } : { status: 'down', error: primary.probe.error },
      replicas: replicas.map(({ node, probe, lagSeconds }) => (probe.up ? { node, status: 'up', lagSeconds } : { node, status: 'down', error: probe.error })),
    };
    const indicator = this.indicators.check(key);
    if (primary.probe.up) return indicator.up(details);
    return readsSuffice && replicas.some((r) => r.probe.up) ? indicator.degraded(details) : indicator.down(details);
  }

  private async checkBroker(broker: BrokerProbe, readsSuffice: boolean) {
    const result = await this.indicators
      .check('kafka')
      .attempt(() => broker.check())
      .withTimeout(PROBE_TIMEOUT_MS);
    const { status, ...details } = result.kafka;
    return status === 'down' && readsSuffice ? this.indicators.check('kafka').degraded(details) : result;
  }

  /**
   * A consumer that stopped consuming makes the app not ready (ADR 0019),
   * except in an AP context while the broker itself is gone: no consumer can
   * consume then, and the broker's check already says the app is degraded.
   */
  private async checkConsumer(consumer: ConsumerHealth, readsSuffice: boolean, brokerProbe: ReturnType<HealthController['checkBroker']> | undefined) {
    const result = consumer.check(this.indicators);
    const stopped = result['kafka-consumer'].status === 'down';
    if (!stopped || !readsSuffice || !brokerProbe) return result;
    const brokerGone = (await brokerProbe.catch(() => undefined))?.kafka.status !== 'up';
    const { status: _status, ...details } = result['kafka-consumer'];
    return brokerGone ? this.indicators.check('kafka-consumer').degraded(details) : result;
  }

  private async checkUpstream(upstreams: UpstreamProbe, context: UpstreamContext) {
    const replicas = await upstreams.reach(context);
    const answering = replicas.filter((r) => r.status === 'up').length;
    const indicator = this.indicators.check(`upstream-${context.name}`);
    if (answering === replicas.length) return indicator.up({ replicas });
    return answering > 0 ? indicator.degraded({ replicas }) : indicator.down({ replicas });
  }
}
