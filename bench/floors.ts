import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
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
}

export interface BrokerFloor {
  /** One message produced (acks=all), then consumed, then the next. */
  roundTripsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const SCRATCH_TABLE = 'bench_commit_floor';

/** Synchronous-commit single-row INSERTs into a scratch table of a CP database (dropped afterwards). */
export async function measureCommitFloor(databaseUrl: string, seconds: number, connections = 8): Promise<CommitFloor> {
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  try {
    await setup.query(`CREATE TABLE IF NOT EXISTS ${SCRATCH_TABLE} (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
    const serial = await insertLoop(databaseUrl, seconds, 1);
    const concurrent = await insertLoop(databaseUrl, seconds, connections);
    return {
      serialPerSecond: round(serial.count / seconds),
      p50Ms: round(median(serial.latencies), 2),
      p99Ms: round(percentile(serial.latencies, 99), 2),
      concurrentPerSecond: round(concurrent.count / seconds),
      connections,
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

/** Produce → consume round trips through a scratch topic (created here, deleted afterwards). */
export async function measureBrokerFloor(brokers: string[], seconds: number): Promise<BrokerFloor> {
  fixKafkajsIdleTimer(); // as the apps' clients are
  const kafka = new Kafka({ clientId: 'boxoffice-bench', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench.floor-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  // The apps' own settings: idempotent producer, acks from every in-sync replica.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}-reader`, sessionTimeout: 10000, heartbeatInterval: 1000 });
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const waiting = new Map<string, () => void>();
    await consumer.run({
      eachMessage: async ({ message }) => {
        waiting.get(message.key?.toString() ?? '')?.();
      },
    });
    const send = async (key: string) => {
      const received = new Promise<void>((resolve) => waiting.set(key, resolve));
      await producer.send({ topic, acks: -1, messages: [{ key, value: 'floor' }] });
      await received;
      waiting.delete(key);
    };
    // The first message waits for the group to form: not part of the floor.
    await send('warm-up');
    const latencies: number[] = [];
    const until = Date.now() + seconds * 1000;
    for (let n = 0; Date.now() < until; n++) {
      const started = performance.now();
      await send(String(n));
      latencies.push(performance.now() - started);
    }
    return { roundTripsPerSecond: round(latencies.length / seconds), p50Ms: round(median(latencies), 2), p99Ms: round(percentile(latencies, 99), 2) };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([`${topic}-reader`]).catch(() => undefined);
    await admin.disconnect();
  }
}
