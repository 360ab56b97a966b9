import { Global, Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { BrokerProbe, KafkaMessagePublisher, MessagePublisher, ReliableConsumer, kafkaSettingsFromEnv } from '@boxoffice/messaging';
import { ShardRouter, WriteBatch, databaseConfigFromEnv, isUnreachable } from '@boxoffice/persistence';
import { DeadLetterTopics } from '@boxoffice/contracts';
import { ConsumerHealth, DEFAULT_STALL_LIMIT_MS } from './health/consumer-health.js';
import type { PlatformOptions } from './boot-settings.js';
import { HealthController } from './health/health.controller.js';
import { integerSetting } from './integer-setting.js';
import { UpstreamProbe } from './health/upstream-probe.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { PlatformMetrics } from './metrics/platform-metrics.js';
import { MessagePruning } from './message-pruning.js';
import { OutboxRelays } from './outbox-relays.js';
import { SERVICE_IDENTITY, serviceIdentityFromEnv } from './service-identity.js';
import { closedLastProviders, shardRouterProviders } from './closed-last.js';
import { OperationsController } from './operations/operations.controller.js';
import { DEFAULT_REPLICA_STATUS_INTERVAL_MS, ReplicaStatusReporter } from './operations/replica-status-reporter.js';
import { ShutdownSignal } from './shutdown-signal.js';

export type { PlatformOptions } from './boot-settings.js';


/**
 * What every service gets: its identity, health and metrics endpoints, and, when it owns
 * data or messages, the shard router, the Kafka publisher, the outbox relays
 * and a reliable consumer wrapper. Settings are read and validated here, at
 * boot, so a missing one stops the process with its name.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    const identity = serviceIdentityFromEnv(options.service);
    const providers: Provider[] = [{ provide: SERVICE_IDENTITY, useValue: identity }, ShutdownSignal];
    if (options.upstreams) providers.push({ provide: UpstreamProbe, useValue: new UpstreamProbe(options.upstreams) });
    // Every replica of every app says it exists and how ready it is (ADR 0035).
    const reportEvery = integerSetting(process.env, 'REPLICA_STATUS_INTERVAL_MS', DEFAULT_REPLICA_STATUS_INTERVAL_MS, 500, 60_000);
    const reportsTo = kafkaSettingsFromEnv();
    providers.push({
      provide: ReplicaStatusReporter,
      inject: [ModuleRef],
      useFactory: (moduleRef: ModuleRef) => new ReplicaStatusReporter(identity, moduleRef, reportsTo, reportEvery),
    });

    if (options.messaging) {
      const kafka = kafkaSettingsFromEnv();
      providers.push(
        // The producer disconnects once the relays and consumers that publish through it have stopped.
        ...closedLastProviders(
          MessagePublisher,
          async () => {
            const publisher = new KafkaMessagePublisher(kafka);
            await publisher.connect();
            return publisher;
          },
          (publisher) => publisher.disconnect(),
        ),
        ...closedLastProviders(BrokerProbe, async () => new BrokerProbe(kafka), (probe) => probe.close()),
      );
    }
    if (options.messaging && options.consumes) {
      providers.push(
        {
          provide: ConsumerHealth,
          inject: [PlatformMetrics],
          useFactory: (metrics: PlatformMetrics) => new ConsumerHealth(metrics, integerSetting(process.env, 'CONSUMER_STALL_LIMIT_MS', DEFAULT_STALL_LIMIT_MS, 1000, 3_600_000)),
        },
        {
          provide: ReliableConsumer,
          inject: [MessagePublisher, ShutdownSignal, ConsumerHealth],
          useFactory: (publisher: MessagePublisher, shutdown: ShutdownSignal, health: ConsumerHealth) => {
            const logger = new Logger('Consumer');
            const deadLetterTopic = (DeadLetterTopics as Record<string, string>)[options.service];
            if (!deadLetterTopic) throw new Error(`no dead-letter topic declared for ${options.service} in libs/contracts`);
            return new ReliableConsumer(publisher, {
              consumer: options.service,
              deadLetterTopic,
              log: (event, details) => logger.warn({ msg: event, ...details }),
              // A database that cannot be reached is waited out, never blamed on the message.
              isTransient: isUnreachable,
              isStopping: () => shutdown.isStopping,
              onDeadLetter: (outcome, delivery) => health.deadLettered(outcome, delivery.topic),
              onInfrastructureWait: (delivery, waiting) => health.waitingForInfrastructure(delivery.topic, delivery.partition, delivery.offset, waiting),
              givesUpBatch: (failure) => {
                const batch = WriteBatch.current();
                batch?.fail(failure);
                return batch !== undefined;
              },
            });
          },
        },
      );
    }

    if (options.database) {
      const database = options.database;
      providers.push(
        ...shardRouterProviders(async () => {
          const router = ShardRouter.create(databaseConfigFromEnv(), {
            applicationName: identity.instance,
            entities: database.entities,
            migrations: database.migrations,
            tolerateUnreachable: database.cap === 'AP',
          });
          await router.initialize();
          return router;
        }),
      );
      if (options.messaging) providers.push(OutboxRelays, MessagePruning);
    }
    providers.push({
      provide: PlatformMetrics,
      inject: [{ token: ShardRouter, optional: true }],
      // The outbox table comes with messaging; without a database only the process metrics remain.
      useFactory: (router?: ShardRouter) => new PlatformMetrics(identity, router, { outbox: Boolean(options.messaging) }),
    });

    return {
      module: PlatformModule,
      imports: [TerminusModule],
      // A context with data shows its shards to the operations console (through the gateway, admins only).
      controllers: [HealthController, MetricsController, ...(options.database ? [OperationsController] : [])],
      providers,
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}
