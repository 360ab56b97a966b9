import { z } from 'zod';
import type { TraceSpanKind, TraceSpanView, TraceView } from '@boxoffice/contracts';

/**
 * OTLP's JSON encoding of spans (opentelemetry-proto's `TracesData`), the
 * part of it the waterfall reads: what Jaeger's query API v3 answers for
 * `GET /api/v3/traces/{trace id}` under `result`, and what any OTLP/JSON
 * source would give. Ids are hex, times nanoseconds since the epoch as
 * decimal strings, 64-bit integers as strings (proto3 JSON).
 */
const AnyValue = z.object({
  stringValue: z.string().optional(),
  intValue: z.union([z.string(), z.number()]).optional(),
  doubleValue: z.number().optional(),
  boolValue: z.boolean().optional(),
});
const KeyValue = z.object({ key: z.string(), value: AnyValue.optional() });
const Attributes = z.array(KeyValue).optional();
const Nanos = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]);

const OtlpSpan = z.object({
  traceId: z.string(),
  spanId: z.string().regex(/^[0-9a-f]{16}$/i),
  parentSpanId: z.string().optional(),
  name: z.string(),
  kind: z.union([z.number().int(), z.string()]).optional(),
  startTimeUnixNano: Nanos,
  endTimeUnixNano: Nanos,
  attributes: Attributes,
  events: z.array(z.object({ name: z.string().optional(), attributes: Attributes })).optional(),
  status: z.object({ code: z.union([z.number().int(), z.string()]).optional(), message: z.string().optional() }).optional(),
});

export const OtlpTracesData = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: Attributes }).optional(),
        scopeSpans: z.array(z.object({ spans: z.array(OtlpSpan).optional() })).optional(),
      }),
    )
    .optional(),
});
export type OtlpTracesData = z.infer<typeof OtlpTracesData>;

type AttributeValue = string | number | boolean;

/**
 * The attributes a waterfall row shows (OpenTelemetry's semantic
 * conventions as the apps' instrumentations write them): what request,
 * which message on which topic, which database and statement. The rest
 * (sizes, library versions, network peers) stays in the trace backend.
 */
export const SHOWN_ATTRIBUTES = [
  'http.request.method',
  'http.route',
  'url.path',
  'url.full',
  'http.response.status_code',
  'server.address',
  'messaging.operation.type',
  'messaging.destination.name',
  'messaging.destination.partition.id',
  'messaging.kafka.message.key',
  'messaging.consumer.group.name',
  'messaging.message.id',
  'messaging.message.conversation_id',
  'boxoffice.message.type',
  'boxoffice.order.id',
  'boxoffice.delivery.attempt',
  'db.system.name',
  'db.namespace',
  'boxoffice.shard',
  'db.query.text',
  'error.type',
] as const;

/** Longer strings (an SQL statement, a URL) are cut here, with an ellipsis. */
export const ATTRIBUTE_MAX_CHARS = 300;

const KINDS: TraceSpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

function kindOf(kind: number | string | undefined): TraceSpanKind {
  if (typeof kind === 'number') return KINDS[kind] ?? 'unspecified';
  const named = (kind ?? '').replace(/^SPAN_KIND_/, '').toLowerCase();
  return (KINDS as string[]).includes(named) ? (named as TraceSpanKind) : 'unspecified';
}

function statusOf(code: number | string | undefined): TraceSpanView['status'] {
  if (code === 1 || code === 'STATUS_CODE_OK') return 'ok';
  if (code === 2 || code === 'STATUS_CODE_ERROR') return 'error';
  return 'unset';
}

function valueOf(value: z.infer<typeof AnyValue> | undefined): AttributeValue | undefined {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue.length > ATTRIBUTE_MAX_CHARS ? `${value.stringValue.slice(0, ATTRIBUTE_MAX_CHARS - 1)}…` : value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return value.boolValue;
}

function attribute(attributes: z.infer<typeof Attributes>, key: string): AttributeValue | undefined {
  return valueOf(attributes?.find((a) => a.key === key)?.value);
}

/** An all-zero or absent parent id means "no parent" in OTLP. */
const parentOf = (id: string | undefined): string | null => (id && !/^0*$/.test(id) ? id.toLowerCase() : null);

/** Milliseconds with microsecond precision, from a nanosecond difference. */
const millis = (nanos: bigint): number => Number(nanos / 1000n) / 1000;

interface Collected extends Omit<TraceSpanView, 'depth' | 'startOffsetMs' | 'durationMs'> {
  start: bigint;
  end: bigint;
}

/**
 * The waterfall of one trace from OTLP spans: each span with its app, its
 * place in the tree (depth first, siblings by start), its start as an
 * offset from the trace's first span and its duration, its status and the
 * attributes of SHOWN_ATTRIBUTES. Spans of other traces are ignored; a span
 * reported twice is kept once. Null when there is no span of the trace.
 */
export function traceViewOf(traceId: string, data: OtlpTracesData): TraceView | null {
  const collected = new Map<string, Collected>();
  for (const resourceSpans of data.resourceSpans ?? []) {
    const resource = resourceSpans.resource?.attributes;
    const service = String(attribute(resource, 'service.name') ?? 'unknown');
    const instance = attribute(resource, 'service.instance.id');
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        if (span.traceId.toLowerCase() !== traceId) continue;
        const start = BigInt(span.startTimeUnixNano);
        const end = BigInt(span.endTimeUnixNano);
        const status = statusOf(span.status?.code);
        const exception = span.events?.find((e) => e.name === 'exception');
        const message = span.status?.message || (exception ? String(attribute(exception.attributes, 'exception.message') ?? '') : '');
        const attributes: Record<string, AttributeValue> = {};
        for (const key of SHOWN_ATTRIBUTES) {
          const value = attribute(span.attributes, key);
          if (value !== undefined) attributes[key] = value;
        }
        collected.set(span.spanId.toLowerCase(), {
          spanId: span.spanId.toLowerCase(),
          parentSpanId: parentOf(span.parentSpanId),
          service,
          instance: instance === undefined ? null : String(instance),
          name: span.name,
          kind: kindOf(span.kind),
          start,
          end: end < start ? start : end,
          status,
          error: status === 'error' ? message || null : null,
          attributes,
        });
      }
    }
  }
  if (collected.size === 0) return null;

  const spans = [...collected.values()];
  const first = spans.reduce((min, s) => (s.start < min ? s.start : min), spans[0].start);
  const last = spans.reduce((max, s) => (s.end > max ? s.end : max), spans[0].end);
  const byStart = (a: Collected, b: Collected) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.spanId.localeCompare(b.spanId));
  const children = new Map<string, Collected[]>();
  const roots: Collected[] = [];
  let orphans = 0;
  for (const span of spans) {
    const parent = span.parentSpanId;
    if (parent !== null && collected.has(parent) && parent !== span.spanId) {
      const siblings = children.get(parent) ?? [];
      siblings.push(span);
      children.set(parent, siblings);
    } else {
      if (parent !== null) orphans++;
      roots.push(span);
    }
  }

  // Depth first, without recursion (a trace may be deep); a span is placed once even if bad data made a cycle.
  const ordered: TraceSpanView[] = [];
  const placed = new Set<string>();
  const stack: { span: Collected; depth: number }[] = roots.sort(byStart).reverse().map((span) => ({ span, depth: 0 }));
  while (stack.length > 0) {
    const { span, depth } = stack.pop()!;
    if (placed.has(span.spanId)) continue;
    placed.add(span.spanId);
    const { start, end, ...rest } = span;
    ordered.push({ ...rest, depth, startOffsetMs: millis(start - first), durationMs: millis(end - start) });
    for (const child of [...(children.get(span.spanId) ?? [])].sort(byStart).reverse()) stack.push({ span: child, depth: depth + 1 });
  }
  // Spans only reachable through a cycle (never from a root): shown at the top level rather than lost.
  for (const span of spans.filter((s) => !placed.has(s.spanId)).sort(byStart)) {
    const { start, end, ...rest } = span;
    orphans++;
    ordered.push({ ...rest, depth: 0, startOffsetMs: millis(start - first), durationMs: millis(end - start) });
  }

  const services = new Map<string, { service: string; spans: number; errors: number; start: bigint }>();
  for (const span of spans) {
    const known = services.get(span.service) ?? { service: span.service, spans: 0, errors: 0, start: span.start };
    known.spans++;
    if (span.status === 'error') known.errors++;
    if (span.start < known.start) known.start = span.start;
    services.set(span.service, known);
  }
  return {
    traceId,
    startedAt: new Date(Number(first / 1_000_000n)).toISOString(),
    durationMs: millis(last - first),
    spanCount: ordered.length,
    services: [...services.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)).map(({ service, spans: count, errors }) => ({ service, spans: count, errors })),
    orphans,
    spans: ordered,
  };
}
