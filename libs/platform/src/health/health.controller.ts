import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { BrokerProbe } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { SERVICE_IDENTITY, type ServiceIdentity } from '../service-identity.js';

/**
 * Liveness says the process can answer at all; readiness says it can do its
 * job: every shard primary and the Kafka cluster answer within a second.
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
    this.router?.all().forEach((dataSource, shard) =>
      checks.push(() =>
        this.indicators
          .check(`postgres-shard${shard}`)
          .attempt(async () => {
            await dataSource.query('SELECT 1');
          })
          .withTimeout(1000),
      ),
    );
    const broker = this.broker;
    if (broker) checks.push(() => this.indicators.check('kafka').attempt(() => broker.check()).withTimeout(1000));
    return this.health.check(checks);
  }
}
