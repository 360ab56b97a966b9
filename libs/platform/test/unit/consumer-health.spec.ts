import { EventEmitter } from 'node:events';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Kafka, type Consumer } from 'kafkajs';
import { ConsumerHealth } from '../../src/health/consumer-health.js';
import { PlatformMetrics } from '../../src/metrics/platform-metrics.js';

/**
 * When a consumer counts as stopped: kafkajs's own event names and payloads
 * (emitted here by hand, as the consumer's instrumentation emitter would),
 * and a clock moved by hand. That a crashed or stuck consumer really turns
 * its app not ready on the running stack is shown by test/e2e/dead-letters.spec.ts.
 */
const events = new Kafka({ brokers: ['127.0.0.1:9'] }).consumer({ groupId: 'unused' }).events;
const LIMIT = 30_000;

function setUp() {
  let now = 1_000_000;
  const emitter = new EventEmitter();
  const consumer = { events, on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener) } as unknown as Consumer;
  const metrics = new PlatformMetrics({ service: 'tester', instance: 'tester-0', host: '127.0.0.1', port: 0 });
  const health = new ConsumerHealth(metrics, LIMIT, () => now);
  const emit = (event: string, payload: unknown) => emitter.emit(event, { payload });
  return {
    health,
    consumer,
    metrics,
    emit,
    later: (ms: number) => (now += ms),
    joined: (assignment: Record<string, number[]> = { orders: [0, 1] }) => emit(events.GROUP_JOIN, { groupId: 'tester', memberAssignment: assignment }),
  };
}

describe('ConsumerHealth', () => {
  it('has nothing to say until the transport watches a consumer', () => {
    const { health } = setUp();
    expect(health.watching).toBe(false);
  });

  it('is consuming while joining within the limit and once a member; not after joining for longer', () => {
    const { health, consumer, later, joined } = setUp();
    health.watch(consumer, 'tester');
    expect(health.report().consuming).toBe(true);
    later(LIMIT + 1);
    expect(health.report()).toMatchObject({ consuming: false, details: { membership: 'joining' } });
    joined();
    expect(health.report()).toMatchObject({ consuming: true, details: { group: 'tester', membership: 'member' } });
  });

  it('stays not consuming while the transport restarts a crashed consumer, until it is a member again', async () => {
    const { health, consumer, emit, joined, metrics, later } = setUp();
    health.watch(consumer, 'tester');
    joined();
    emit(events.CRASH, { groupId: 'tester', restart: false, error: new Error('incompatible protocols') });
    health.restartScheduled(1000);
    expect(health.report()).toMatchObject({ consuming: false, details: { membership: 'crashed', nextRestart: new Date(1_001_000).toISOString() } });
    later(1000);
    expect(health.report().consuming).toBe(false);
    joined();
    expect(health.report()).toMatchObject({ consuming: true, details: { membership: 'member' } });
    expect(health.report().details).not.toHaveProperty('nextRestart');
    expect(await metrics.scrape()).toContain('boxoffice_kafka_consumer_restarts_total{service="tester"} 1');
  });

  it('is not consuming once kafkajs crashed the consumer for good, nor after a stop', async () => {
    const { health, consumer, emit, joined, metrics } = setUp();
    health.watch(consumer, 'tester');
    joined();
    emit(events.STOP, {});
    emit(events.CRASH, { groupId: 'tester', restart: false, error: new Error('The request included a message larger than the max message size') });
    expect(health.report()).toMatchObject({ consuming: false, details: { membership: 'crashed', lastCrash: expect.stringContaining('larger than the max message size') } });
    const text = await metrics.scrape();
    expect(text).toContain('boxoffice_kafka_consumer_consuming{group="tester",service="tester"} 0');
    expect(text).toContain('boxoffice_kafka_consumer_crashes_total{restart="false",service="tester"} 1');
  });

  it('gives a crash that kafkajs restarts the limit to rejoin', () => {
    const { health, consumer, emit, later, joined } = setUp();
    health.watch(consumer, 'tester');
    joined();
    emit(events.CRASH, { groupId: 'tester', restart: true, error: new Error('connection closed') });
    expect(health.report().consuming).toBe(true);
    later(LIMIT + 1);
    expect(health.report()).toMatchObject({ consuming: false, details: { membership: 'restarting' } });
    joined();
    expect(health.report().consuming).toBe(true);
  });

  it('counts a partition on one offset beyond the limit as stuck, redeliveries included, until the offset moves', async () => {
    const { health, consumer, later, joined, metrics } = setUp();
    health.watch(consumer, 'tester');
    joined();
    health.handling('orders', 1, '41');
    later(LIMIT / 2);
    health.handling('orders', 1, '41'); // the same offset again (a redelivery): the clock keeps running
    later(LIMIT / 2 + 1);
    expect(health.report()).toMatchObject({ consuming: false, details: { stuckPartitions: [{ topic: 'orders', partition: 1, offset: '41' }] } });
    expect(await metrics.scrape()).toMatch(/boxoffice_kafka_partition_stalled_seconds\{topic="orders",partition="1",service="tester"\} 30\.001/);
    health.handled('orders', 1, '41');
    expect(health.report().consuming).toBe(true);
    expect(await metrics.scrape()).not.toContain('boxoffice_kafka_partition_stalled_seconds{');
  });

  it('does not count waiting out an unreachable database, and counts afresh after it', () => {
    const { health, consumer, later, joined } = setUp();
    health.watch(consumer, 'tester');
    joined();
    health.handling('orders', 0, '7');
    health.waitingForInfrastructure('orders', 0, '7', true);
    later(10 * LIMIT);
    expect(health.report().consuming).toBe(true);
    health.waitingForInfrastructure('orders', 0, '7', false);
    later(LIMIT - 1);
    expect(health.report().consuming).toBe(true);
  });

  it('forgets partitions a rebalance handed to another member', () => {
    const { health, consumer, later, joined } = setUp();
    health.watch(consumer, 'tester');
    joined({ orders: [0, 1] });
    health.handling('orders', 1, '3');
    joined({ orders: [0] });
    later(LIMIT + 1);
    expect(health.report().consuming).toBe(true);
  });

  it('answers readiness through terminus as kafka-consumer', () => {
    const { health, consumer, emit } = setUp();
    health.watch(consumer, 'tester');
    emit(events.CRASH, { groupId: 'tester', restart: false, error: new Error('boom') });
    const result = health.check(new HealthIndicatorService());
    expect(result).toMatchObject({ 'kafka-consumer': { status: 'down', membership: 'crashed' } });
  });
});
