import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonLogger } from '../../src/json-logger.js';
import { contextOf, currentTraceparent, inSpan, tracer, tracingSettingsFromEnv } from '../../src/tracing.js';

describe('tracingSettingsFromEnv', () => {
  it('leaves tracing off without an endpoint, or with an empty one', () => {
    expect(tracingSettingsFromEnv({})).toEqual({});
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toEqual({});
  });

  it('takes an http(s) URL, without a trailing slash', () => {
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability.svc:4318/' })).toEqual({ otlpEndpoint: 'http://otel-collector.observability.svc:4318' });
  });

  it('refuses anything else, naming the setting', () => {
    expect(() => tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://127.0.0.1:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('within a trace', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const contextManager = new AsyncLocalStorageContextManager();

  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  });

  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('every log line carries the trace and span id; lines outside a trace carry none', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = new JsonLogger({ service: 'ordering', instance: 'ordering-0' }, undefined, (line) => lines.push(JSON.parse(line)));
    logger.log('before');
    let ids: { traceId: string; spanId: string } | undefined;
    await inSpan('work', {}, context.active(), async (span) => {
      ids = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      await Promise.resolve();
      logger.log({ msg: 'inside', orderId: 'o-1' });
    });
    expect(lines[0]).not.toHaveProperty('traceId');
    expect(lines[1]).toMatchObject({ msg: 'inside', orderId: 'o-1', ...ids });
  });

  it('a stored traceparent continues the trace it was taken in', async () => {
    let stored: string | null = null;
    const parent = tracer().startSpan('request');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      stored = currentTraceparent();
    });
    parent.end();
    expect(stored).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const child = tracer().startSpan('publish', {}, contextOf(stored));
    child.end();
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(exporter.getFinishedSpans().find((s) => s.name === 'publish')?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(currentTraceparent()).toBeNull();
    expect(contextOf(null)).toBe(contextOf(undefined));
  });
});
