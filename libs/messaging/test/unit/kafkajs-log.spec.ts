import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { Kafka, logLevel } from 'kafkajs';
import { JsonLogger } from '@boxoffice/observability';
import { kafkaClientConfig } from '../../src/kafka/kafka-settings.js';
import { kafkajsLogCreator } from '../../src/kafka/kafkajs-log.js';

/**
 * A kafkajs client made outside Nest's Kafka transport (the seat feed, the
 * operations feed, the outbox relay's producer, an admin) writes its own log
 * lines through the service's logger, like every other line: one JSON object
 * with the service, the instance and, within a trace, the trace id, not
 * kafkajs's own console lines. The client here really logs: it is pointed at
 * a port where no broker listens.
 */
describe("a kafkajs client's log lines", () => {
  const lines: Record<string, unknown>[] = [];
  const contextManager = new AsyncLocalStorageContextManager();
  const provider = new TracerProvider();
  const consoleCalls = (['info', 'warn', 'error', 'log'] as const).map((method) => jest.spyOn(globalThis.console, method));

  beforeAll(() => {
    Logger.overrideLogger(new JsonLogger({ service: 'gateway', instance: 'gateway-0' }, undefined, (line) => lines.push(JSON.parse(line))));
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(provider);
    // kafkajs's own logger writes with console: nothing may go that way.
    for (const spy of consoleCalls) spy.mockImplementation(() => undefined);
  });

  afterAll(async () => {
    for (const spy of consoleCalls) spy.mockRestore();
    Logger.overrideLogger(['error', 'warn', 'log']);
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('are the service\'s JSON lines: service, instance, the trace, and what kafkajs said as fields', async () => {
    const admin = new Kafka({ ...kafkaClientConfig({ brokers: ['127.0.0.1:1'], clientId: 'gateway-0' }), retry: { retries: 0 } }).admin();
    let ids: { traceId: string; spanId: string } | undefined;
    const span = trace.getTracer('test').startSpan('connect');
    await context.with(trace.setSpan(context.active(), span), async () => {
      ids = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      await expect(admin.connect()).rejects.toThrow();
    });
    span.end();
    await admin.disconnect();

    const fromKafkajs = lines.filter((line) => line.context === 'kafkajs');
    expect(fromKafkajs.length).toBeGreaterThan(0);
    expect(fromKafkajs[0]).toEqual({
      time: expect.any(String),
      level: 'error',
      service: 'gateway',
      instance: 'gateway-0',
      ...ids,
      context: 'kafkajs',
      msg: expect.stringContaining('Connection error'),
      namespace: expect.any(String),
      broker: '127.0.0.1:1',
      clientId: 'gateway-0',
      ...(fromKafkajs[0].stack === undefined ? {} : { stack: expect.any(String) }),
    });
    for (const line of fromKafkajs) expect(line).toMatchObject({ service: 'gateway', instance: 'gateway-0', context: 'kafkajs', msg: expect.any(String) });
    for (const spy of consoleCalls) expect(spy).not.toHaveBeenCalled();
  });

  it('never lets a field it cannot write break the client that logs: the message alone is written', () => {
    const log = kafkajsLogCreator()(logLevel.WARN);
    const before = lines.length;
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => log({ namespace: 'Cluster', level: logLevel.WARN, label: 'WARN', log: { timestamp: 'now', logger: 'kafkajs', message: 'odd fields', offset: 1n, circular } })).not.toThrow();
    expect(lines.slice(before)).toEqual([{ time: expect.any(String), level: 'warn', service: 'gateway', instance: 'gateway-0', context: 'kafkajs', msg: 'odd fields', namespace: 'Cluster' }]);
  });
});
