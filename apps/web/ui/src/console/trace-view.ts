/**
 * `GET /admin/ops/traces/{traceId}` as the waterfall reads it: the zod
 * schema `TraceView` of libs/contracts/src/api/trace-api.ts (ADR 0037).
 */
export interface TraceSpan {
  spanId: string;
  parentSpanId: string | null;
  depth: number;
  service: string;
  instance: string | null;
  name: string;
  kind: 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  startOffsetMs: number;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  error: string | null;
  attributes: Record<string, string | number | boolean>;
}

export interface TraceView {
  traceId: string;
  startedAt: string;
  durationMs: number;
  spanCount: number;
  services: { service: string; spans: number; errors: number }[];
  orphans: number;
  spans: TraceSpan[];
}

/** One colour per app, the same on every trace; an app not listed gets one from its name. */
const COLOURS: Record<string, string> = {
  gateway: '#5b3cc4',
  catalog: '#0e9384',
  inventory: '#2e90fa',
  ordering: '#f79009',
  payments: '#12b76a',
  ticketing: '#ee46bc',
  notifications: '#7a5af8',
};
const SPARE = ['#06aed4', '#a15c07', '#4e5ba6', '#c4320a', '#3b7c0f'];

export function colourOf(service: string): string {
  const known = COLOURS[service];
  if (known) return known;
  let hash = 0;
  for (const char of service) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return SPARE[hash % SPARE.length]!;
}

/** A duration as people read it: µs below a millisecond, ms below a second, s above. */
export function formatMillis(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
