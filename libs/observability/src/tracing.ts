import { register } from 'node:module';
import { context, propagation, trace, ROOT_CONTEXT, type Context, type Span, type SpanOptions } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { createAddHookMessageChannel } from 'import-in-the-middle';

/** What the tracing of one process needs from its environment (checked with the other boot settings). */
export interface TracingSettings {
  /** The OTLP/HTTP endpoint (collector or Jaeger), without `/v1/traces`; tracing is off without one. */
  otlpEndpoint?: string;
}

/**
 * OTEL_EXPORTER_OTLP_ENDPOINT, the variable every OpenTelemetry SDK reads: an
 * http(s) URL of an OTLP/HTTP receiver. Unset or empty turns tracing off.
 */
export function tracingSettingsFromEnv(env: NodeJS.ProcessEnv): TracingSettings {
  const raw = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (raw === undefined || raw === '') return {};
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Setting OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://127.0.0.1:4318, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Setting OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://127.0.0.1:4318, got "${raw}"`);
  }
  return { otlpEndpoint: raw.replace(/\/+$/, '') };
}

/** Requests nobody wants a trace of: probes and scrapes, several a second on every replica. */
const UNTRACED_PATHS = /^\/(health\/|metrics(\/|$|\?))/;

export interface Tracing {
  /** Sends what is still buffered and stops; safe to call when tracing is off. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for this process, before the code it traces is
 * loaded: call it first in main.ts and import the rest afterwards (the
 * instrumentations patch http, express and pg as they are loaded, through
 * Node's module hooks). With no endpoint set it does nothing, and every span
 * the code asks for is a no-op.
 *
 * Spans go in batches over OTLP/HTTP (protobuf). The W3C `traceparent` header
 * carries the context over HTTP (the http instrumentation) and over Kafka
 * (the outbox, the relay and the consumer, libs/messaging tracing.ts).
 * Database queries are traced only within a trace: the relays' and pollers'
 * own queries would otherwise be thousands of one-span traces.
 */
export async function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Promise<Tracing> {
  let settings: TracingSettings;
  try {
    settings = tracingSettingsFromEnv(env);
  } catch {
    // The service's settings check names the bad value and stops the process; nothing to start here.
    return { shutdown: stopTracing };
  }
  if (!settings.otlpEndpoint) return { shutdown: stopTracing };
  // As the platform names it (service-identity.ts), which cannot be loaded yet.
  const instance = env.INSTANCE_ID ?? `${service}-${process.pid}`;

  // Only the modules an instrumentation asked for go through the loader hook; the rest load as they always do.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service, 'service.namespace': 'boxoffice', 'service.instance.id': instance }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${settings.otlpEndpoint}/v1/traces` }), maxQueueSize: 8192, scheduledDelayMillis: 1000 })],
  });
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
        // The gateway's readiness probes its upstreams: those calls are not part of any request's trace.
        requireParentforOutgoingSpans: true,
      }),
      // Nest mounts its own middleware on every request; one span per route handler is what reads well.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  await waitForAllMessagesAcknowledged();
  active = provider;
  return { shutdown: stopTracing };
}

let active: TracerProvider | undefined;

/** Flushes the spans still buffered and stops tracing (the platform calls it when the service stops). */
export async function stopTracing(): Promise<void> {
  const provider = active;
  active = undefined;
  await provider?.shutdown();
}

/** The tracer of boxoffice's own spans (messaging hops, transactions, deliveries). */
export function tracer() {
  return trace.getTracer('boxoffice');
}

/** The W3C `traceparent` of the active span, or null outside a trace (or with tracing off). */
export function currentTraceparent(): string | null {
  if (!trace.getActiveSpan()?.spanContext()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** The context a stored or received `traceparent` names (the root context for none or a malformed one). */
export function contextOf(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** Runs `work` in a new span that ends when it settles, recording a failure as the span's error. */
export async function inSpan<T>(name: string, options: SpanOptions, parent: Context, work: (span: Span) => Promise<T>): Promise<T> {
  const span = tracer().startSpan(name, options, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: 2, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Runs `work` in a child span of the active one; outside a trace (a relay's
 * or a poller's own work) it just runs it, as the pg instrumentation does
 * with queries.
 */
export function inChildSpan<T>(name: string, options: SpanOptions, work: (span?: Span) => Promise<T>): Promise<T> {
  const parent = context.active();
  if (!trace.getSpan(parent)?.isRecording()) return work();
  return inSpan(name, options, parent, work);
}

/** The trace and span id of the active span, for log lines; empty outside a trace. */
export function traceFields(): { traceId?: string; spanId?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  // A non-recording, unsampled span (tracing off) has no trace worth naming.
  if (traceFlags === 0 && !span.isRecording()) return {};
  return { traceId, spanId };
}
