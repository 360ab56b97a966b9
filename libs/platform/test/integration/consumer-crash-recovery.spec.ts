import { Logger, type LoggerService } from '@nestjs/common';
import { Kafka, PartitionAssigners, logLevel, type Consumer, type KafkaMessage, type PartitionAssigner, type Producer } from 'kafkajs';
import { CONSUMER_TIMING, kafkaClientConfig } from '@boxoffice/messaging';
import { eventually, parsePrometheusText, runningStack, samplesOf } from '@boxoffice/testing';
import { ConsumerHealth } from '../../src/health/consumer-health.js';
import { BatchingServerKafka } from '../../src/kafka/batching-server-kafka.js';
import { PlatformMetrics } from '../../src/metrics/platform-metrics.js';

/**
 * A consumer that kafkajs gives up for good comes back and consumes again
 * (ADR 0029), on the stack's real broker. Two crashes kafkajs does not
 * restart, both real:
 * - the broker refuses the consumer into its group: another member that
 *   speaks only an assignment protocol ours does not know is in the group,
 *   so JoinGroup answers INCONSISTENT_GROUP_PROTOCOL, which kafkajs does not
 *   retry (a start-up crash, as "the coordinator is loading" once was);
 * - a handler throws a TypeError, which kafkajs's retrier never retries:
 *   the run loop crashes.
 * Before the transport restarted such a consumer, it stayed out of its group
 * and both tests failed waiting for the message.
 */
const stack = runningStack();
const brokers = stack.kafka.brokers;
const run = `${Date.now()}`;
const quiet = { logLevel: logLevel.NOTHING };

let producer: Producer;
const servers: BatchingServerKafka[] = [];
const others: Consumer[] = [];

/**
 * What the transport logs (Nest's logger). Its crash reports are what these tests provoke: they are collected
 * and checked instead of printed, so that an error in the run's output is never one of these.
 */
const logged: { level: 'error' | 'warn' | 'log'; entry: { msg?: string; group?: string; reason?: string } }[] = [];
const collector: LoggerService = {
  error: (entry: object) => void logged.push({ level: 'error', entry }),
  warn: (entry: object) => void logged.push({ level: 'warn', entry }),
  log: (entry: object) => void logged.push({ level: 'log', entry }),
};
const crashReports = (group: string) => logged.filter(({ level, entry }) => level === 'error' && entry.group === group).map(({ entry }) => entry);

beforeAll(async () => {
  Logger.overrideLogger(collector);
  const kafka = new Kafka({ clientId: 'it-crash', brokers, ...quiet });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: ['refused', 'throws'].map((name) => ({ topic: `it.crash-${name}.${run}`, numPartitions: 1 })) });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await Promise.all([...servers.map((s) => s.close()), ...others.map((c) => c.disconnect()), producer.disconnect()]);
  // Nothing but the crashes provoked here: no error or warning about anything else.
  expect(logged.filter(({ level, entry }) => level !== 'log' && !entry.group?.startsWith('it-crash-'))).toEqual([]);
});

/** Our transport as runService builds it, with one event handler on `topic`. */
async function startServer(topic: string, group: string, handle: (message: KafkaMessage) => Promise<void>) {
  const metrics = new PlatformMetrics({ service: 'it-crash', instance: 'it-crash-0', host: '127.0.0.1', port: 0 });
  const health = new ConsumerHealth(metrics);
  const server = new BatchingServerKafka(
    {
      client: { ...kafkaClientConfig({ brokers, clientId: group }), ...quiet },
      consumer: { groupId: group, allowAutoTopicCreation: false, ...CONSUMER_TIMING },
      subscribe: { fromBeginning: true },
      postfixId: '',
    },
    1,
    health,
  );
  servers.push(server);
  server.addHandler(topic, (_value: Buffer | null, context: { getMessage(): KafkaMessage }) => handle(context.getMessage()), true);
  await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve())));
  const counter = async (name: string, labels: Record<string, string> = {}) => samplesOf(parsePrometheusText(await metrics.scrape()), name, labels)[0]?.value ?? 0;
  return { health, counter };
}

/** Round robin under another name: a member that offers only this has no protocol in common with ours. */
const otherProtocol: PartitionAssigner = (config) => {
  const roundRobin = PartitionAssigners.roundRobin(config);
  return { ...roundRobin, name: 'OtherProtocol', protocol: (subscription) => ({ ...roundRobin.protocol(subscription), name: 'OtherProtocol' }) };
};

describe('a consumer that kafkajs gives up for good', () => {
  it('is restarted when the broker refused it into its group, and consumes once it can join', async () => {
    const topic = `it.crash-refused.${run}`;
    const group = `it-crash-refused-${run}`;
    const intruder = new Kafka({ clientId: 'it-intruder', brokers, ...quiet }).consumer({ groupId: group, partitionAssigners: [otherProtocol], ...CONSUMER_TIMING });
    others.push(intruder);
    const intruderJoined = new Promise<void>((resolve) => intruder.on(intruder.events.GROUP_JOIN, () => resolve()));
    await intruder.connect();
    await intruder.subscribe({ topics: [topic] });
    await intruder.run({ eachMessage: async () => undefined });
    await intruderJoined;

    const seen: string[] = [];
    const { health, counter } = await startServer(topic, group, async (message) => {
      seen.push(message.value?.toString() ?? '');
    });

    // Refused, and not ready while out of the group: the transport keeps trying.
    await eventually(() => expect(health.report()).toMatchObject({ consuming: false, details: { membership: 'crashed', lastCrash: expect.stringMatching(/incompatible/i) } }));
    expect(await counter('boxoffice_kafka_consumer_crashes_total', { restart: 'false' })).toBeGreaterThanOrEqual(1);
    expect(await counter('boxoffice_kafka_consumer_restarts_total')).toBeGreaterThanOrEqual(1);

    await intruder.disconnect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'after the refusal' }] });

    await eventually(() => expect(seen).toEqual(['after the refusal']), { timeoutMs: 60_000 });
    expect(health.report()).toMatchObject({ consuming: true, details: { membership: 'member' } });
    // Each refusal was reported as the crash it is, with its reason.
    expect(crashReports(group).length).toBeGreaterThanOrEqual(1);
    for (const report of crashReports(group)) expect(report).toMatchObject({ msg: 'Kafka consumer crashed and kafkajs will not restart it: restarting it', reason: expect.stringMatching(/incompatible/i) });
  });

  it('is restarted after its run loop crashed, and handles the message again', async () => {
    const topic = `it.crash-throws.${run}`;
    const group = `it-crash-throws-${run}`;
    const attempts: string[] = [];
    const { health, counter } = await startServer(topic, group, async (message) => {
      attempts.push(`${message.offset}:${message.value?.toString() ?? ''}`);
      // A bug in a handler, once: kafkajs never retries a TypeError, it crashes the consumer for good.
      if (attempts.length === 1) throw new TypeError('a handler bug');
    });
    await eventually(() => expect(health.report().details).toMatchObject({ membership: 'member' }));

    await producer.send({ topic, messages: [{ key: 'k', value: 'first' }] });
    await eventually(() => expect(attempts).toEqual(['0:first', '0:first']), { timeoutMs: 60_000 });
    await producer.send({ topic, messages: [{ key: 'k', value: 'second' }] });

    await eventually(() => expect(attempts).toEqual(['0:first', '0:first', '1:second']));
    expect(await counter('boxoffice_kafka_consumer_crashes_total', { restart: 'false' })).toBe(1);
    expect(await counter('boxoffice_kafka_consumer_restarts_total')).toBe(1);
    expect(health.report()).toMatchObject({ consuming: true, details: { membership: 'member' } });
    expect(crashReports(group)).toEqual([expect.objectContaining({ msg: 'Kafka consumer crashed and kafkajs will not restart it: restarting it', reason: expect.stringContaining('a handler bug') })]);
  });
});
