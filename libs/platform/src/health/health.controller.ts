import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { BrokerProbe } from '@boxoffice/messaging';
import { ShardRouter, type ShardNodes } from '@boxoffice/persistence';
import { WithoutCallerToken } from '../auth/caller.guard.js';
import { SERVICE_IDENTITY, type ServiceIdentity } from '../service-identity.js';
import { ConsumerHealth } from './consumer-health.js';
import { PROBE_TIMEOUT_MS, probeShard } from './shard-probe.js';

/**
 * Liveness says the process can answer at all; readiness says it can do its
 * job within a second: a CP context needs every shard primary, an AP context
 * needs, per shard, any node it can read from (its reads fall back across
 * replicas and the primary); both need the Kafka cluster. The details show
 * every node and the replicas' lag, which costs one small query per node.
 */
@WithoutCallerToken()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    @Optional() private readonly router?: ShardRouter,
    @Optional() private readonly broker?: BrokerProbe,
    @Optional() private readonly consumer?: ConsumerHealth,
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
    if (broker) checks.push(() => this.indicators.check('kafka').attempt(() => broker.check()).withTimeout(PROBE_TIMEOUT_MS));
    const consumer = this.consumer;
    if (consumer?.watching) checks.push(() => consumer.check(this.indicators));
    return this.health.check(checks);
  }

  private async checkShard(key: string, shard: ShardNodes, readsSuffice: boolean) {
    const { primary, replicas } = await probeShard(shard);
    const details = {
      primary: primary.probe.up ? { status: 'up', standbys: primary.probe.rows } : { status: 'down', error: primary.probe.error },
      replicas: replicas.map(({ node, probe, lagSeconds }) => (probe.up ? { node, status: 'up', lagSeconds } : { node, status: 'down', error: probe.error })),
    };
    const indicator = this.indicators.check(key);
    const canWork = primary.probe.up || (readsSuffice && replicas.some((r) => r.probe.up));
    return canWork ? indicator.up(details) : indicator.down(details);
  }
}
