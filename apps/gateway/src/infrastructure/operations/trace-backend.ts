import type { TraceView } from '@boxoffice/contracts';
import { problem, ProblemException } from '@boxoffice/platform';
import { OtlpTracesData, traceViewOf } from './otlp-trace-view.js';

/** A trace backend that takes longer than this answers 503: the console must not hang on it. */
const QUERY_TIMEOUT_MS = 5000;

/** Where the trace backend's query API is (TRACES_QUERY_URL), or nothing: the console then has no waterfall. */
export interface TraceBackendSettings {
  queryUrl: string | null;
}

/** TRACES_QUERY_URL: a Jaeger query service as the gateway reaches it (its internal address); unset or empty for none. */
export function traceBackendSettingsFromEnv(env: NodeJS.ProcessEnv): TraceBackendSettings {
  const raw = (env.TRACES_QUERY_URL ?? '').trim().replace(/\/+$/, '');
  if (!raw) return { queryUrl: null };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('Invalid setting TRACES_QUERY_URL (the trace backend’s query API as the gateway reaches it, e.g. http://jaeger-query.observability.svc:16686; leave it unset for none)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('Invalid setting TRACES_QUERY_URL: an http(s) URL, e.g. http://jaeger-query.observability.svc:16686');
  return { queryUrl: raw };
}

/**
 * One trace, read from the trace backend when the console asks (ADR 0037):
 * Jaeger's query API v3, `GET /api/v3/traces/{trace id}`, which answers the
 * spans in OTLP's JSON encoding, mapped to the waterfall (traceViewOf).
 * Every failure is a problem: 404 for a trace the backend does not know,
 * 503 when there is no backend or it does not answer, 502 when it answers
 * something else.
 */
export class TraceBackend {
  constructor(private readonly settings: TraceBackendSettings) {}

  get configured(): boolean {
    return this.settings.queryUrl !== null;
  }

  async trace(traceId: string): Promise<TraceView> {
    const base = this.settings.queryUrl;
    if (base === null) {
      throw new ProblemException(
        problem(503, 'no-trace-backend', 'No trace backend', { detail: 'the gateway has no trace backend to read traces from (its TRACES_QUERY_URL setting is unset)' }),
      );
    }
    let response: Response;
    try {
      response = await fetch(`${base}/api/v3/traces/${traceId}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
    } catch (error) {
      const cause = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${QUERY_TIMEOUT_MS} ms` : describe(error);
      throw ProblemException.unavailable(`the trace backend did not answer (${cause})`);
    }
    const text = await response.text().catch(() => '');
    if (response.status === 404) throw ProblemException.notFound('Trace', `the trace backend has no trace ${traceId} (yet: spans arrive a second or so after they end)`);
    if (response.status === 503 || response.status === 502 || response.status === 504) throw ProblemException.unavailable(`the trace backend answered ${response.status}`);
    if (!response.ok) throw badReply(`the trace backend answered ${response.status}: ${text.slice(0, 200)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw badReply('the trace backend answered something other than JSON');
    }
    const parsed = OtlpTracesData.safeParse((body as { result?: unknown } | null)?.result);
    if (!parsed.success) throw badReply(`the trace backend's answer is not OTLP JSON (${parsed.error.issues[0]?.message ?? 'unexpected shape'})`);
    const view = traceViewOf(traceId, parsed.data);
    if (!view) throw ProblemException.notFound('Trace', `the trace backend has no span of trace ${traceId} (yet)`);
    return view;
  }
}

function badReply(detail: string): ProblemException {
  return new ProblemException(problem(502, 'bad-upstream-reply', 'Bad reply from the trace backend', { detail }));
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
