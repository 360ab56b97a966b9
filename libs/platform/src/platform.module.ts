import { Global, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { stopTracing } from '@boxoffice/observability';
import { ModuleRef } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { BrokerProbe, KafkaMessagePublisher, MessagePublisher, ReliableConsumer } from '@boxoffice/messaging';
import { ShardRouter, WriteBatch, isUnreachable } from '@boxoffice/persistence';
import { DeadLetterTopics } from '@boxoffice/contracts';
import { ConsumerHealth } from './health/consumer-health.js';
import type { PlatformOptions, PlatformSettings } from './boot-settings.js';
import { HealthController } from './health/health.controller.js';
import { UpstreamProbe } from './health/upstream-probe.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { PlatformMetrics } from './metrics/platform-metrics.js';
import { MESSAGE_RETENTION, MessagePruning } from './message-pruning.js';
import { OutboxRelays } from './outbox-relays.js';
import { SERVICE_IDENTITY } from './service-identity.js';
import { closedLastProviders, shardRouterProviders } from './closed-last.js';
import { OperationsController } from './operations/operations.controller.js';
import { DEFAULT_REPLICA_STATUS_INTERVAL_MS, ReplicaStatusReporter } from './operations/replica-status-reporter.js';
import { ShutdownSignal } from './shutdown-signal.js';

export type { PlatformOptions } from './boot-settings.js';

/** Sends the spans still buffered when the service stops (after every other shutdown hook of the module). */
@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}


/**
 * What every service gets: its identity, health and metrics endpoints, and, when it owns
 * data or messages, the shard router, the Kafka publisher, the outbox relays
 * and a reliable consumer wrapper. It reads no setting itself: it is given
 * what `platformSettingsFromEnv` read and checked at boot (runService), so a
 * missing one stopped the process with its name before any module loaded.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions, settings: PlatformSettings): DynamicModule {
    const { identity } = settings;
    const providers: Provider[] = [{ provide: SERVICE_IDENTITY, useValue: identity }, ShutdownSignal, TracingShutdown];
    if (options.upstreams) providers.push({ provide: UpstreamProbe, useValue: new UpstreamProbe(options.upstreams) });
    // Every replica of every app says it exists and how ready it is (ADR 0035).
    const reportEvery = settings.replicaStatusIntervalMs ?? DEFAULT_REPLICA_STATUS_INTERVAL_MS;
    const reportsTo = required(settings.kafka, 'kafka', options);
    providers.push({
      provide: ReplicaStatusReporter,
      inject: [ModuleRef],
      useFactory: (moduleRef: ModuleRef) => new ReplicaStatusReporter(identity, moduleRef, reportsTo, reportEvery),
    });

    if (options.messaging) {
      const kafka = required(settings.kafka, 'kafka', options);
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
          useFactory: (metrics: PlatformMetrics) => new ConsumerHealth(metrics, required(settings.consumerStallLimitMs, 'consumerStallLimitMs', options)),
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
      const config = required(settings.database, 'database', options);
      providers.push(
        ...shardRouterProviders(async () => {
          const router = ShardRouter.create(config, {
            applicationName: identity.instance,
            entities: database.entities,
            migrations: database.migrations,
            tolerateUnreachable: database.cap === 'AP',
          });
          await router.initialize();
          return router;
        }),
      );
      if (options.messaging) providers.push(OutboxRelays, MessagePruning, { provide: MESSAGE_RETENTION, useValue: required(settings.messageRetention, 'messageRetention', options) });
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

/** Settings made by platformSettingsFromEnv from other options than these would lack what these need. */
function required<T>(value: T | undefined, name: keyof PlatformSettings, options: PlatformOptions): T {
  if (value === undefined) throw new Error(`${options.service}: its platform settings have no ${name}; make them with platformSettingsFromEnv and the same options`);
  return value;
}
