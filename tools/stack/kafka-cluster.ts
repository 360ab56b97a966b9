import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import kafkajs from 'kafkajs';
import type { Admin, ISocketFactory, KafkaConfig } from 'kafkajs';
import { allTopics, type TopicSpec } from '../../libs/contracts/src/topics.js';
import { fixKafkajsIdleTimer } from '../../libs/messaging/src/kafka/kafkajs-idle-timer-fix.js';
import { untilBrokerReady } from './kafka-broker-ready.js';
import { type KafkaBrokerPlan, writeBrokerProperties } from './kafka-config.js';
import { ensureKafkaJars } from './kafka-jars.js';
import { type ResolvedOptions } from './options.js';
import { KAFKA_LOG4J2_CONFIG, REPO_ROOT, type StatePaths } from './paths.js';
import { allSettledOrThrow, delay, pollUntil, throwIfAborted } from './poll.js';
import { kafkaPorts } from './port-layout.js';
import { lastLines, runCommand } from './run-command.js';
import { type ProcessSpec, type Supervisor } from './supervisor.js';

// kafkajs is CommonJS: take its exports from the default import.
const { Kafka, logLevel } = kafkajs;

export type { KafkaBrokerPlan } from './kafka-config.js';

/** How long the brokers, each ready, may take to see each other. */
const READY_TIMEOUT_MS = 90_000;

export function planKafka(o: ResolvedOptions, paths: StatePaths): KafkaBrokerPlan[] {
  return Array.from({ length: o.brokers }, (_, b) => {
    const { client, controller } = kafkaPorts(o.portBase, b);
    return {
      id: `kafka:${b}`,
      label: `kafka broker ${b}`,
      index: b,
      nodeId: b + 1,
      port: client,
      controllerPort: controller,
      dataDir: path.join(paths.kafkaDir, `broker-${b}`),
      propertiesFile: path.join(paths.kafkaDir, `broker-${b}.properties`),
      logFile: path.join(paths.logsDir, `kafka-${b}.log`),
    };
  });
}

/** An admin client that fails fast: the launcher does its own polling. */
async function withAdmin<T>(brokers: string[], work: (admin: Admin) => Promise<T>, retries = 0, client: Partial<KafkaConfig> = {}): Promise<T> {
  // As the apps' clients have it (ADR 0013): without it each connection re-arms a timer every millisecond, with a
  // negative delay that Node 24 warns about (TimeoutNegativeWarning) at the launcher's first question.
  fixKafkajsIdleTimer();
  const kafka = new Kafka({
    clientId: 'boxoffice-stack',
    brokers,
    ...client,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 10_000,
    retry: { retries },
  });
  const admin = kafka.admin({ retry: { retries } });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function javaArgs(cacheDir: string, broker: KafkaBrokerPlan, logsDir: string, heap: string[]): string[] {
  return [
    ...heap,
    '-XX:+UseSerialGC',
    '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${logsDir}`,
    `-Dboxoffice.kafka.log.file=${path.basename(broker.logFile)}`,
    `-Dlog4j2.configurationFile=${KAFKA_LOG4J2_CONFIG}`,
    '-cp',
    `${cacheDir}/*`,
  ];
}

interface KafkaContext {
  options: ResolvedOptions;
  paths: StatePaths;
  supervisor: Supervisor;
  say: (text: string) => void;
}

async function runStorageTool(cacheDir: string, broker: KafkaBrokerPlan, ctx: KafkaContext, args: string[]): Promise<string> {
  const result = await runCommand(
    'java',
    [...javaArgs(cacheDir, broker, ctx.paths.logsDir, ['-Xmx128m']), 'kafka.tools.StorageTool', ...args],
    { signal: ctx.options.signal },
  );
  if (result.code !== 0) throw new Error(`kafka.tools.StorageTool ${args[0]} failed (exit code ${result.code}):\n${lastLines(result.output)}`);
  return result.output;
}

/** One cluster id for the life of the state dir; every broker is formatted with it. */
async function clusterId(cacheDir: string, brokers: KafkaBrokerPlan[], ctx: KafkaContext): Promise<string> {
  const file = path.join(ctx.paths.kafkaDir, 'cluster-id');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const output = await runStorageTool(cacheDir, brokers[0], ctx, ['random-uuid']);
  const id = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^[A-Za-z0-9_-]{22}$/.test(l));
  if (!id) throw new Error(`kafka.tools.StorageTool random-uuid printed no cluster id:\n${lastLines(output)}`);
  fs.writeFileSync(file, `${id}\n`);
  return id;
}

function brokerSpec(broker: KafkaBrokerPlan, cacheDir: string, ctx: KafkaContext): ProcessSpec {
  const address = `127.0.0.1:${broker.port}`;
  return {
    id: broker.id,
    kind: 'kafka',
    label: broker.label,
    command: 'java',
    args: [...javaArgs(cacheDir, broker, ctx.paths.logsDir, ['-Xms256m', '-Xmx384m']), 'kafka.Kafka', broker.propertiesFile],
    env: process.env,
    cwd: REPO_ROOT,
    logFile: broker.logFile,
    // SIGTERM: controlled shutdown (moves leadership away, closes the log cleanly).
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 30_000,
    stopOrder: 1,
    // Ready once this broker is unfenced, i.e. listed in the cluster metadata it serves; waited for as long as its
    // log shows progress (a JVM start and a log recovery after kill -9 are slow on a loaded machine), within a limit.
    ready: (signal) =>
      untilBrokerReady({
        label: `${broker.label} on ${address}`,
        logFile: broker.logFile,
        isReady: () => withAdmin([address], async (admin) => (await admin.describeCluster()).brokers.some((b) => b.nodeId === broker.nodeId)),
        say: ctx.say,
        signal,
      }),
  };
}

/** How long the topics may take to be created and known, with a leader and every replica in sync, by every broker. */
const TOPICS_READY_TIMEOUT_MS = 90_000;

/** kafkajs marks the errors worth another try (a broker not ready yet, a timeout) as retriable. */
function isRetriable(error: unknown): boolean {
  return (error as { retriable?: boolean }).retriable === true || (error as Error).name === 'KafkaJSNumberOfRetriesExceeded';
}

/**
 * Creates the topics from allTopics() that are missing; grows partition counts that fell behind; sets their
 * settings. Retriable errors (a broker still catching up on a loaded machine) are tried again until the deadline.
 */
async function ensureTopics(brokers: string[], replicationFactor: number, say: (text: string) => void, signal?: AbortSignal): Promise<void> {
  const wanted = allTopics();
  const deadline = Date.now() + TOPICS_READY_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdmin(brokers, async (admin) => {
        const existing = new Set(await admin.listTopics());
        const missing = wanted.filter((t) => !existing.has(t.name));
        if (missing.length > 0) {
          // Not waitForLeaders: kafkajs asks one broker right away and gives up when that broker has not yet
          // applied the new topics ("This server does not host this topic-partition"); untilTopicsReady waits.
          await admin.createTopics({
            topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor, configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })) })),
          });
          say(`created topics ${missing.map((t) => t.name).join(', ')}`);
        }
        const present = wanted.filter((t) => existing.has(t.name));
        if (present.length === 0) return;
        // Topics kept from an earlier run get today's settings (AlterConfigs replaces a topic's settings: these are all of them).
        const configured = present.filter((t) => Object.keys(t.config).length > 0);
        if (configured.length > 0) {
          await admin.alterConfigs({
            validateOnly: false,
            resources: configured.map((t) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name: t.name, configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })) })),
          });
        }
        const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
        const grow = present.filter((t) => (metadata.topics.find((m) => m.name === t.name)?.partitions.length ?? t.partitions) < t.partitions);
        if (grow.length > 0) {
          await admin.createPartitions({ topicPartitions: grow.map((t) => ({ topic: t.name, count: t.partitions })) });
          say(`added partitions to ${grow.map((t) => t.name).join(', ')}`);
        }
      });
      break;
    } catch (error) {
      if (!isRetriable(error) || Date.now() >= deadline) throw error;
      say(`topics: ${(error as Error).message}; trying again (attempt ${attempt + 1})`);
      await delay(Math.min(250 * 2 ** attempt, 2000), signal);
    }
  }
  await untilTopicsReady(brokers, wanted, replicationFactor, deadline, signal);
}

/**
 * A kafkajs client whose every connection, whichever broker kafkajs means, goes to one broker. kafkajs asks
 * for metadata from any broker it picks, and any broker answers such a request, so every answer this
 * client gets is that one broker's view.
 */
function pinnedTo(address: string): { brokers: string[]; socketFactory: ISocketFactory } {
  const [host, port] = address.split(':');
  return {
    brokers: [address],
    socketFactory: ({ onConnect }) => net.connect({ host, port: Number(port) }, onConnect),
  };
}

/** What one broker's metadata still lacks for the topics (empty: nothing). */
async function missingOn(address: string, wanted: TopicSpec[], replicationFactor: number): Promise<string[]> {
  const describe = (partitions: { partitionId: number; leader: number; replicas: number[]; isr: number[] }[], t: TopicSpec): string[] => {
    const lacking: string[] = [];
    if (partitions.length < t.partitions) lacking.push(`${t.name} has ${partitions.length} of ${t.partitions} partitions`);
    for (const p of partitions) {
      if (p.leader < 0) lacking.push(`${t.name}-${p.partitionId} has no leader`);
      else if (p.replicas.length < replicationFactor || p.isr.length < p.replicas.length)
        lacking.push(`${t.name}-${p.partitionId} has ${p.isr.length} of ${Math.max(replicationFactor, p.replicas.length)} replicas in sync`);
    }
    return lacking;
  };
  return withAdmin(
    [address],
    async (admin) => {
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: wanted.map((t) => t.name) });
        return wanted.flatMap((t) => describe(topics.find((m) => m.name === t.name)?.partitions ?? [], t));
      } catch {
        // The broker does not know some topic yet: ask for each, to name the ones it lacks.
        const lacking: string[] = [];
        for (const t of wanted) {
          const known = await admin.fetchTopicMetadata({ topics: [t.name] }).then(
            ({ topics }) => topics[0]?.partitions ?? [],
            (error: unknown) => (error as Error).message,
          );
          if (typeof known === 'string') lacking.push(`${t.name}: ${known}`);
          else lacking.push(...describe(known, t));
        }
        return lacking;
      }
    },
    0,
    pinnedTo(address),
  );
}

/**
 * What the brokers still lack before producers and consumers may ask any of them about the topics: each
 * broker must know every topic with all its partitions, each with a leader and all its replicas in sync.
 * Each entry names the broker and what it lacks; none: ready.
 */
export async function topicsNotReady(brokers: string[], wanted: TopicSpec[], replicationFactor: number): Promise<string[]> {
  const perBroker = await Promise.all(
    brokers.map((address) =>
      missingOn(address, wanted, replicationFactor).then(
        (lacking) => lacking.map((what) => `${address}: ${what}`),
        (error: unknown) => [`${address}: ${(error as Error).message}`],
      ),
    ),
  );
  return perBroker.flat();
}

/** Waits until topicsNotReady finds nothing; past the deadline, the error names what is still missing, and where. */
async function untilTopicsReady(brokers: string[], wanted: TopicSpec[], replicationFactor: number, deadline: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    throwIfAborted(signal);
    const missing = await topicsNotReady(brokers, wanted, replicationFactor);
    if (missing.length === 0) return;
    if (Date.now() >= deadline) {
      const shown = missing.slice(0, 10).join('; ');
      throw new Error(`Kafka topics not ready after ${TOPICS_READY_TIMEOUT_MS / 1000} s: ${shown}${missing.length > 10 ? `; and ${missing.length - 10} more` : ''}`);
    }
    await delay(250, signal);
  }
}

/** Jars, config, storage format (first run), brokers (all at once: a 3-node quorum needs 2), topics. */
export async function startKafka(brokers: KafkaBrokerPlan[], ctx: KafkaContext): Promise<void> {
  const cacheDir = await ensureKafkaJars(ctx.say, ctx.options.signal);
  const id = await clusterId(cacheDir, brokers, ctx);
  await allSettledOrThrow(
    brokers.map(async (broker) => {
      writeBrokerProperties(broker, brokers);
      if (!fs.existsSync(path.join(broker.dataDir, 'meta.properties'))) {
        ctx.say(`formatting the storage of ${broker.label}`);
        await runStorageTool(cacheDir, broker, ctx, ['format', '-t', id, '-c', broker.propertiesFile, '--ignore-formatted']);
      }
    }),
  );
  await allSettledOrThrow(
    brokers.map(async (broker) => {
      await ctx.supervisor.start(brokerSpec(broker, cacheDir, ctx), ctx.options.signal);
      ctx.say(`${broker.label} ready on 127.0.0.1:${broker.port}`);
    }),
  );
  const addresses = brokers.map((b) => `127.0.0.1:${b.port}`);
  await pollUntil(async () => (await withAdmin(addresses, (admin) => admin.describeCluster())).brokers.length === brokers.length, {
    what: `all ${brokers.length} Kafka brokers to see each other`,
    timeoutMs: READY_TIMEOUT_MS,
    signal: ctx.options.signal,
  });
  await ensureTopics(addresses, Math.min(3, brokers.length), ctx.say, ctx.options.signal);
}
