import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CONSUMER_TIMING, kafkaClientConfig, PARTITIONS_CONSUMED_CONCURRENTLY } from '@boxoffice/messaging';
import { JsonLogger } from '@boxoffice/observability';
import { ShardRouter, databaseConfigFromEnv } from '@boxoffice/persistence';
import { callerAuthentication } from './auth/caller-authentication.js';
import { CallerTokenVerifier } from './auth/caller-token.js';
import { CallerGuard, refuseBodyNotSigned } from './auth/caller.guard.js';
import type { DatabaseDefinition } from './database-definition.js';
import { answerClientErrorsAsProblems } from './http/client-errors.js';
import { JsonBodyInterceptor } from './http/json-body.interceptor.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { requestLog } from './http/request-log.js';
import { applyClockOffset } from './fault-injection.js';
import { ConsumerHealth } from './health/consumer-health.js';
import { logLevelsFromEnv, type PlatformSettings } from './boot-settings.js';
import { BatchingServerKafka } from './kafka/batching-server-kafka.js';
import { instanceIdFromEnv } from './service-identity.js';

export interface ServiceDefinition<S extends { platform: PlatformSettings } = { platform: PlatformSettings }> {
  name: string;
  /** The app's module, made from its checked settings: nothing in it reads the environment again. */
  module: (settings: S) => DynamicModule;
  database?: DatabaseDefinition;
  /** Subscribe this service's @EventPattern handlers as one consumer group. */
  consumesKafka?: boolean;
  /**
   * The public edge (the gateway): it authenticates end users itself. Every
   * other service answers only requests that carry the gateway's caller
   * token for it (ADR 0017), checked before the body is read, with the keys
   * its settings read (CALLER_TOKEN_PUBLIC_KEYS).
   */
  edge?: boolean;
  /** Largest JSON body accepted; bigger ones get 413. */
  bodyLimit?: string;
  /**
   * Every setting the service reads at boot, parsed and checked (its
   * `<app>SettingsFromEnv`): run before anything starts, so a missing or
   * invalid setting stops the process with its name before it connects to
   * anything. test/deploy/settings.spec.ts runs the same function on the
   * environment each deployment gives the container. Read once: the result
   * is what `module` gets.
   */
  settings: (env: NodeJS.ProcessEnv) => S;
  /** Extra HTTP set-up (e.g. OpenAPI) before listening. */
  configure?: (app: INestApplication, settings: S) => void | Promise<void>;
}

/**
 * The one entry point every app's main.ts calls.
 * `node main.js migrate` applies the context's migrations on every shard and exits;
 * without arguments the service starts.
 */
export async function runService<S extends { platform: PlatformSettings }>(definition: ServiceDefinition<S>): Promise<void> {
  // Test-only (fault-injection.ts): first, so that every later reading of the clock is shifted alike.
  const clockOffset = applyClockOffset();
  // Not the whole identity: `migrate` needs no PORT, and the logger must exist to report a bad one.
  const logger = new JsonLogger({ service: definition.name, instance: instanceIdFromEnv(definition.name) }, safeLogLevels());
  if (clockOffset !== 0) logger.warn({ msg: 'wall clock shifted for a fault test (CLOCK_OFFSET_MS)', clockOffsetMs: clockOffset });
  try {
    if (process.argv[2] === 'migrate') await migrate(definition, logger);
    else await start(definition, logger);
  } catch (error) {
    logger.fatal(error instanceof Error ? error.message : String(error), error instanceof Error ? error.stack : undefined);
    process.exit(1);
  }
}

async function migrate<S extends { platform: PlatformSettings }>(definition: ServiceDefinition<S>, logger: JsonLogger): Promise<void> {
  if (!definition.database) return;
  const router = ShardRouter.create(databaseConfigFromEnv(process.env), {
    applicationName: `${definition.name}-migrate`,
    entities: definition.database.entities,
    migrations: definition.database.migrations,
    poolSize: 2,
  });
  await router.initialize();
  const applied = await router.runMigrations();
  await router.destroy();
  logger.log({ msg: 'migrations applied', applied, shards: router.shardCount() });
}

async function start<S extends { platform: PlatformSettings }>(definition: ServiceDefinition<S>, logger: JsonLogger): Promise<void> {
  const settings = definition.settings(process.env);
  const { platform } = settings;
  const { identity } = platform;
  if (!definition.edge && !platform.callerTokenPublicKeys) throw new Error(`${definition.name} answers only caller tokens, but its settings have no keys to check them (PlatformOptions.edge is for the gateway only)`);
  const verifier = definition.edge ? undefined : new CallerTokenVerifier(definition.name, platform.callerTokenPublicKeys ?? []);
  const app = await NestFactory.create<NestExpressApplication>(definition.module(settings), { logger, bodyParser: false });
  app.use(requestLog(logger));
  // The caller is authenticated before anything else; the body is read after the guards, and only by a route that takes one.
  if (verifier) app.use(callerAuthentication(verifier));
  app.useGlobalInterceptors(new JsonBodyInterceptor(definition.bodyLimit ?? '64kb', verifier ? refuseBodyNotSigned : undefined));
  app.useGlobalFilters(new ProblemDetailsFilter());
  answerClientErrorsAsProblems(app.getHttpServer());
  if (verifier) app.useGlobalGuards(new CallerGuard(app.get(Reflector)));
  // The signals that stop a service (Kubernetes and the launcher send SIGTERM, a terminal SIGINT); Nest's default
  // list also takes SIGUSR2 and others, which diagnostic tools send to a process that should go on.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  if (definition.consumesKafka) {
    if (!platform.kafka || platform.consumerBatchSize === undefined) throw new Error(`${definition.name} consumes Kafka but its settings do not say so (PlatformOptions.consumes)`);
    const server = new BatchingServerKafka(
      {
        client: kafkaClientConfig(platform.kafka),
        // One group per service: every replica subscribes to the same topics.
        consumer: { groupId: definition.name, allowAutoTopicCreation: false, ...CONSUMER_TIMING },
        subscribe: { fromBeginning: true },
        run: { partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY },
        postfixId: '',
      },
      platform.consumerBatchSize,
      app.get(ConsumerHealth),
    );
    app.connectMicroservice<MicroserviceOptions>({ strategy: server }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await definition.configure?.(app, settings);
  await app.listen(identity.port, identity.host);
  logger.log({ msg: 'listening', instance: identity.instance, url: `http://${identity.host}:${identity.port}` });
}

/** The logger must exist to report a bad LOG_LEVEL: until the settings are checked, an invalid one logs at the default. */
function safeLogLevels() {
  try {
    return logLevelsFromEnv(process.env);
  } catch {
    return logLevelsFromEnv({});
  }
}
