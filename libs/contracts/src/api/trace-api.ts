import { z } from 'zod';

/**
 * One trace as the operations console draws it (`GET /admin/ops/traces/{traceId}`,
 * ADR 0037): the trace backend's spans reduced to what a waterfall needs,
 * in the order the waterfall shows them. Times are milliseconds (with
 * microsecond fractions) from the trace's first span.
 */

/** A W3C trace id: 32 lowercase hex digits, not all zero (the `traceresponse` header's second field). */
// One pattern, so the OpenAPI document says all of it (a refinement would not show there).
export const TraceIdParam = z.string().regex(/^(?!0{32}$)[0-9a-f]{32}$/, 'a trace id is 32 lowercase hex digits, not all zero');
export type TraceIdParam = z.infer<typeof TraceIdParam>;

/**
 * The trace id of a W3C `traceparent` (`00-<trace id>-<span id>-<flags>`),
 * e.g. a Kafka message's header or the one an outbox or delivery row keeps;
 * null for none, a malformed one, or the all-zero id the format forbids.
 */
export function traceIdOfTraceparent(traceparent: string | null | undefined): string | null {
  const traceId = traceparent ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent)?.[1] : undefined;
  return traceId !== undefined && TraceIdParam.safeParse(traceId).success ? traceId : null;
}

/** The span kinds of OpenTelemetry. */
export const TraceSpanKind = z.enum(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);
export type TraceSpanKind = z.infer<typeof TraceSpanKind>;

export const TraceSpanView = z.object({
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  /** Its parent's span id; null for a root. The parent may be missing from the trace (see `TraceView.orphans`). */
  parentSpanId: z.string().regex(/^[0-9a-f]{16}$/).nullable(),
  /** Levels below its root: 0 for a root, or for a span whose parent is not (yet) in the trace. */
  depth: z.number().int().nonnegative(),
  /** The app that recorded it (`service.name`): the bounded context, or `gateway`. */
  service: z.string(),
  /** Which replica (`service.instance.id`), when it said. */
  instance: z.string().nullable(),
  name: z.string(),
  kind: TraceSpanKind,
  /** When it started, in ms after the trace's first span started. */
  startOffsetMs: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  /** OpenTelemetry's status: `error` when the span says it failed. */
  status: z.enum(['unset', 'ok', 'error']),
  /** The status message, or the first recorded exception's message, when it failed. */
  error: z.string().nullable(),
  /** A few attributes that say what it did (route, topic, message, database, SQL…); see ADR 0037 for which. */
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type TraceSpanView = z.infer<typeof TraceSpanView>;

/** `GET /admin/ops/traces/{traceId}`: the spans of one trace, depth first (each span before its children, siblings by start). */
export const TraceView = z.object({
  traceId: z.string(),
  /** When its first span started. */
  startedAt: z.iso.datetime(),
  /** From the first span's start to the last span's end, in ms. */
  durationMs: z.number().nonnegative(),
  spanCount: z.number().int().positive(),
  /** Each app with spans in it, by its first span's start, with how many spans and how many failed. */
  services: z.array(z.object({ service: z.string(), spans: z.number().int().positive(), errors: z.number().int().nonnegative() })),
  /**
   * Spans whose parent is not in the trace. Spans arrive from each app in
   * batches, a second or so after they end: a trace read just after its
   * request may still lack some, and then shows orphans; a complete trace
   * has none (its root has no parent at all).
   */
  orphans: z.number().int().nonnegative(),
  spans: z.array(TraceSpanView),
});
export type TraceView = z.infer<typeof TraceView>;
