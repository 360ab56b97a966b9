import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { DEFAULT_PARTITIONS } from '../libs/contracts/src/topics.js';
import { PARTITIONS_CONSUMED_CONCURRENTLY } from '../libs/messaging/src/kafka/kafka-settings.js';
import { fixKafkajsIdleTimer } from '../libs/messaging/src/kafka/kafkajs-idle-timer-fix.js';
import { median, percentile, round } from './stats.js';

/**
 * The stack's own floor, measured in the same run as the saga: what one
 * durable commit and one broker hop cost on this machine right now. The saga
 * is made of those, so they bound what it can do.
 */
export interface CommitFloor {
  /** One connection, one synchronous-commit INSERT after another. */
  serialPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The same loop on several connections at once (group commit helps here). */
  concurrentPerSecond: number;
  connections: number;
  /** CPU the concurrent loop took per commit: the shard's Postgres nodes (primary and standbys) and the client. */
  cpuMsPerCommit: number;
}

export interface BrokerFloor {
  /** One message produced (acks=all), then consumed, then the next. */
  p50Ms: number;
  p99Ms: number;
  /** Round trips per second with several senders at once. */
  concurrentPerSecond: number;
  senders: number;
  /** CPU per round trip with several senders: the broker, the producing and the consuming client. */
  cpuMsPerRoundTrip: number;
}

/**
 * CPU-seconds used so far by the processes a floor loop works in (this one
 * included). Measured in CPU time, a floor does not depend on what else the
 * machine is doing at the time, as a rate does.
 */
export type CpuClock = () => number;

const SCRATCH_TABLE = 'bench_commit_floor';
const BROKER_WARM_UP_SECONDS = 10;

/** Synchronous-commit single-row INSERTs into a scratch table of a CP database (dropped afterwards). */
export async function measureCommitFloor(databaseUrl: string, seconds: number, cpu: CpuClock, connections = 8): Promise<CommitFloor> {
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  try {
    await setup.query(`CREATE TABLE IF NOT EXISTS ${SCRATCH_TABLE} (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
    const serial = await insertLoop(databaseUrl, seconds, 1);
    const cpuBefore = cpu();
    const concurrent = await insertLoop(databaseUrl, seconds, connections);
    const cpuSeconds = cpu() - cpuBefore;
    return {
      serialPerSecond: round(serial.count / seconds),
      p50Ms: round(median(serial.latencies), 2),
      p99Ms: round(percentile(serial.latencies, 99), 2),
      concurrentPerSecond: round(concurrent.count / seconds),
      connections,
      cpuMsPerCommit: round((cpuSeconds * 1000) / Math.max(1, concurrent.count), 3),
    };
  } finally {
    await setup.query(`DROP TABLE IF EXISTS ${SCRATCH_TABLE}`);
    await setup.end();
  }
}

async function insertLoop(databaseUrl: string, seconds: number, connections: number): Promise<{ count: number; latencies: number[] }> {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        // The database's own setting (CP: on, waiting for a standby); said explicitly so the floor cannot silently cheat.
        await client.query(`SET synchronous_commit = on`);
        while (Date.now() < until) {
          const started = performance.now();
          await client.query(`INSERT INTO ${SCRATCH_TABLE} (payload) VALUES ($1)`, ['floor']);
          latencies.push(performance.now() - started);
        }
      } finally {
        await client.end();
      }
    }),
  );
  return { count: latencies.length, latencies };
}

/**
 * Produce → consume round trips through a scratch topic (created here,
 * deleted afterwards), partitioned and consumed as the apps' topics are.
 * One sender after another gives the latency; `senders` at once give the
 * rate and the CPU per round trip under load, as the commit floor does.
 */
export async function measureBrokerFloor(brokers: string[], seconds: number, cpu: CpuClock, senders = 8): Promise<BrokerFloor> {
  fixKafkajsIdleTimer(); // as the apps' clients are
  const kafka = new Kafka({ clientId: 'boxoffice-bench', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench.floor-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: DEFAULT_PARTITIONS }], waitForLeaders: true });
  // The apps' own settings: idempotent producer, acks from every in-sync replica, partitions consumed side by side.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}-reader`, sessionTimeout: 10000, heartbeatInterval: 1000 });
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const waiting = new Map<string, () => void>();
    await consumer.run({
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      eachMessage: async ({ message }) => {
        waiting.get(message.key?.toString() ?? '')?.();
      },
    });
    let sent = 0;
    const send = async () => {
      const key = String(sent++);
      const received = new Promise<void>((resolve) => waiting.set(key, resolve));
      await producer.send({ topic, acks: -1, messages: [{ key, value: 'floor' }] });
      await received;
      waiting.delete(key);
    };
    const loop = async (parallel: number, forSeconds: number, latencies: number[] = []) => {
      const until = Date.now() + forSeconds * 1000;
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          while (Date.now() < until) {
            const started = performance.now();
            await send();
            latencies.push(performance.now() - started);
          }
        }),
      );
      return latencies;
    };
    // The first message waits for the group to form, and the broker's JIT compiles its hot paths over the first
    // ~10,000 round trips, which cost up to 5 CPU-ms each until then (0.7 after): neither is part of the floor.
    await loop(senders, BROKER_WARM_UP_SECONDS);
    const serial = await loop(1, seconds);
    const cpuBefore = cpu();
    const concurrent = await loop(senders, seconds);
    const cpuSeconds = cpu() - cpuBefore;
    return {
      p50Ms: round(median(serial), 2),
      p99Ms: round(percentile(serial, 99), 2),
      concurrentPerSecond: round(concurrent.length / seconds),
      senders,
      cpuMsPerRoundTrip: round((cpuSeconds * 1000) / Math.max(1, concurrent.length), 3),
    };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([`${topic}-reader`]).catch(() => undefined);
    await admin.disconnect();
  }
}
