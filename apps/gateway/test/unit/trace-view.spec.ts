import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TraceIdParam, TraceView } from '@boxoffice/contracts';
import { ProblemException } from '@boxoffice/platform';
import { OtlpTracesData, traceViewOf } from '../../src/infrastructure/operations/otlp-trace-view.js';
import { TraceBackend, traceBackendSettingsFromEnv } from '../../src/infrastructure/operations/trace-backend.js';
import { openApiSchema } from '../../src/interface/http/openapi.js';

/**
 * The console's waterfall from a real trace: the fixture is what the local
 * stack's Jaeger (v1.75.0, query API v3) answered for one two-seat checkout
 * (`GET /api/v3/traces/<id>`), 127 spans from six apps.
 */
const answer = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'checkout-trace.jaeger-v3.json'), 'utf8')) as { result: unknown };
const TRACE_ID = '88d7885eb51433338f856564ef5043ab';
const data = OtlpTracesData.parse(answer.result);

type Span = OtlpTracesData extends { resourceSpans?: (infer R)[] } ? R : never;

/** The fixture with only the spans `keep` accepts. */
function filtered(keep: (span: { spanId: string; name: string }) => boolean): OtlpTracesData {
  return {
    resourceSpans: (data.resourceSpans ?? []).map((rs: Span) => ({
      ...rs,
      scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({ ...ss, spans: (ss.spans ?? []).filter(keep) })),
    })),
  };
}

describe('the waterfall of a trace from Jaeger’s OTLP JSON', () => {
  const view = traceViewOf(TRACE_ID, data)!;

  it('has every span once, in the documented shape, with the apps in the order they joined', () => {
    expect(TraceView.parse(view)).toEqual(view);
    expect(view.spanCount).toBe(127);
    expect(view.spans).toHaveLength(127);
    expect(new Set(view.spans.map((s) => s.spanId)).size).toBe(127);
    expect(view.services.map((s) => s.service)).toEqual(['gateway', 'ordering', 'inventory', 'payments', 'ticketing', 'notifications']);
    expect(view.services.reduce((sum, s) => sum + s.spans, 0)).toBe(127);
    expect(view.orphans).toBe(0);
    expect(view.startedAt).toBe('2026-12-06T13:45:32.505Z');
  });

  it('starts with the root, the gateway’s POST /orders at offset 0, and spans the whole trace', () => {
    const [root] = view.spans;
    expect(root).toMatchObject({ spanId: '03a6d85fa467c6c9', parentSpanId: null, depth: 0, service: 'gateway', instance: 'gateway-0', name: 'POST /orders', kind: 'server', startOffsetMs: 0, status: 'unset', error: null });
    expect(root.attributes).toEqual({ 'http.request.method': 'POST', 'http.route': '/orders', 'url.path': '/orders', 'http.response.status_code': 202, 'server.address': '127.0.0.1' });
    expect(root.durationMs).toBeCloseTo(153.958, 3);
    const ends = view.spans.map((s) => s.startOffsetMs + s.durationMs);
    expect(Math.max(...ends)).toBeCloseTo(view.durationMs, 3);
    expect(view.spans.every((s) => s.startOffsetMs >= 0 && s.durationMs >= 0)).toBe(true);
  });

  it('lists each span after its parent, one level deeper, and siblings by start (depth first)', () => {
    const index = new Map(view.spans.map((s, i) => [s.spanId, i]));
    for (const [i, span] of view.spans.entries()) {
      if (span.parentSpanId === null) continue;
      const parent = view.spans[index.get(span.parentSpanId)!];
      expect(index.get(span.parentSpanId)!).toBeLessThan(i);
      expect(span.depth).toBe(parent.depth + 1);
      // Everything between a parent and this span is in the parent's subtree: deeper than the parent.
      for (const between of view.spans.slice(index.get(span.parentSpanId)! + 1, i)) expect(between.depth).toBeGreaterThan(parent.depth);
    }
    const children = view.spans.filter((s) => s.parentSpanId === view.spans[0].spanId);
    expect(children.map((c) => c.startOffsetMs)).toEqual([...children.map((c) => c.startOffsetMs)].sort((a, b) => a - b));
  });

  it('keeps the attributes that say what a span did: the message and topic of a Kafka hop, the shard and SQL of a query', () => {
    const consumer = view.spans.find((s) => s.service === 'inventory' && s.name === 'process inventory.seat-command.v1')!;
    expect(consumer.kind).toBe('consumer');
    expect(consumer.attributes).toMatchObject({ 'messaging.destination.name': 'inventory.seat-command.v1', 'boxoffice.message.type': 'inventory.seat-command', 'messaging.message.conversation_id': expect.any(String) });
    const producer = view.spans.find((s) => s.name === 'publish inventory.seat-command.v1')!;
    expect(producer.kind).toBe('producer');
    const query = view.spans.find((s) => s.attributes['db.system.name'] === 'postgresql' && s.name.startsWith('pg.query:boxoffice_'))!;
    expect(query.kind).toBe('client');
    expect(typeof query.attributes['db.query.text']).toBe('string');
    expect(String(query.attributes['db.query.text']).length).toBeLessThanOrEqual(300);
    // Jaeger's own notes and the network details stay out.
    expect(view.spans.some((s) => '@jaeger@warnings' in s.attributes || 'network.peer.port' in s.attributes)).toBe(false);
    const mail = view.spans.find((s) => s.name === 'send mail')!;
    expect(mail.service).toBe('notifications');
  });

  it('counts spans whose parent has not arrived yet, and shows them at the top level', () => {
    const ordering = view.spans.filter((s) => s.service === 'ordering' && s.depth > 0);
    const missing = ordering[0];
    const partial = traceViewOf(TRACE_ID, filtered((s) => s.spanId !== missing.spanId))!;
    const orphaned = view.spans.filter((s) => s.parentSpanId === missing.spanId);
    expect(orphaned.length).toBeGreaterThan(0);
    expect(partial.spanCount).toBe(126);
    expect(partial.orphans).toBe(orphaned.length);
    for (const span of orphaned) expect(partial.spans.find((s) => s.spanId === span.spanId)).toMatchObject({ depth: 0, parentSpanId: missing.spanId });
  });

  it('says so for a failed span, with its status message or its exception', () => {
    const failed: OtlpTracesData = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payments' } }] },
          scopeSpans: [
            {
              spans: [
                { traceId: TRACE_ID, spanId: 'aaaaaaaaaaaaaaaa', name: 'root', kind: 2, startTimeUnixNano: '1000000000', endTimeUnixNano: '1005000000', status: { code: 2, message: 'declined' } },
                {
                  traceId: TRACE_ID,
                  spanId: 'bbbbbbbbbbbbbbbb',
                  parentSpanId: 'aaaaaaaaaaaaaaaa',
                  name: 'child',
                  kind: 'SPAN_KIND_INTERNAL',
                  startTimeUnixNano: '1001000000',
                  endTimeUnixNano: '1001500000',
                  status: { code: 'STATUS_CODE_ERROR' },
                  events: [{ name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'connection refused' } }] }],
                },
              ],
            },
          ],
        },
      ],
    };
    const view = traceViewOf(TRACE_ID, failed)!;
    expect(view.spans.map((s) => [s.name, s.depth, s.kind, s.status, s.error, s.instance, s.startOffsetMs, s.durationMs])).toEqual([
      ['root', 0, 'server', 'error', 'declined', null, 0, 5],
      ['child', 1, 'internal', 'error', 'connection refused', null, 1, 0.5],
    ]);
    expect(view.services).toEqual([{ service: 'payments', spans: 2, errors: 2 }]);
  });

  it('is nothing for an answer without a span of that trace', () => {
    expect(traceViewOf('0123456789abcdef0123456789abcdef', data)).toBeNull();
    expect(traceViewOf(TRACE_ID, {})).toBeNull();
  });
});

describe('a trace id', () => {
  it('is 32 lowercase hex digits, not all zero, and the OpenAPI document says so all (its one pattern)', () => {
    const pattern = new RegExp(String(openApiSchema(TraceIdParam).pattern));
    for (const [id, valid] of [
      [TRACE_ID, true],
      ['0'.repeat(31) + '1', true],
      ['0'.repeat(32), false],
      [TRACE_ID.toUpperCase(), false],
      [TRACE_ID.slice(1), false],
      ['not-a-trace-id', false],
    ] as const) {
      expect([id, TraceIdParam.safeParse(id).success]).toEqual([id, valid]);
      expect([id, pattern.test(id)]).toEqual([id, valid]);
    }
  });
});

describe('the trace backend as the gateway asks it (a real HTTP server in its place)', () => {
  let server: Server;
  let url: string;
  const answers = new Map<string, { status: number; body: string }>([
    [TRACE_ID, { status: 200, body: JSON.stringify(answer) }],
    ['11111111111111111111111111111111', { status: 200, body: '<html>not json</html>' }],
    ['22222222222222222222222222222222', { status: 200, body: JSON.stringify({ result: { resourceSpans: 'nope' } }) }],
    ['33333333333333333333333333333333', { status: 500, body: 'internal' }],
  ]);
  beforeAll(async () => {
    server = createServer((request, response) => {
      const id = /^\/api\/v3\/traces\/([0-9a-f]{32})$/.exec(request.url ?? '')?.[1] ?? '';
      const known = answers.get(id) ?? { status: 404, body: JSON.stringify({ error: { httpCode: 404, message: 'No traces found' } }) };
      response.writeHead(known.status, { 'content-type': 'application/json' }).end(known.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const problemOf = async (backend: TraceBackend, id: string) => {
    const error = await backend.trace(id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProblemException);
    return (error as ProblemException).problem;
  };

  it('reads a trace through the query API v3', async () => {
    const view = await new TraceBackend({ queryUrl: url }).trace(TRACE_ID);
    expect(view.spanCount).toBe(127);
  });

  it('answers 404 for a trace it does not know, 502 for an answer that is not OTLP JSON, 503 without a backend or when it is away', async () => {
    const backend = new TraceBackend({ queryUrl: url });
    expect(await problemOf(backend, '0123456789abcdef0123456789abcdef')).toMatchObject({ status: 404, code: 'not-found' });
    expect(await problemOf(backend, '11111111111111111111111111111111')).toMatchObject({ status: 502, code: 'bad-upstream-reply' });
    expect(await problemOf(backend, '22222222222222222222222222222222')).toMatchObject({ status: 502, code: 'bad-upstream-reply' });
    expect(await problemOf(backend, '33333333333333333333333333333333')).toMatchObject({ status: 502, code: 'bad-upstream-reply', detail: expect.stringContaining('500') });
    expect(await problemOf(new TraceBackend({ queryUrl: null }), TRACE_ID)).toMatchObject({ status: 503, code: 'no-trace-backend' });
    // A port nothing listens on: the server's own, once closed.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const goneUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    expect(await problemOf(new TraceBackend({ queryUrl: goneUrl }), TRACE_ID)).toMatchObject({ status: 503, code: 'unavailable', detail: expect.stringContaining('ECONNREFUSED') });
  });

  it('takes TRACES_QUERY_URL as an http(s) URL, unset or empty for none', () => {
    expect(traceBackendSettingsFromEnv({})).toEqual({ queryUrl: null });
    expect(traceBackendSettingsFromEnv({ TRACES_QUERY_URL: ' ' })).toEqual({ queryUrl: null });
    expect(traceBackendSettingsFromEnv({ TRACES_QUERY_URL: 'http://jaeger-query.observability.svc:16686/' })).toEqual({ queryUrl: 'http://jaeger-query.observability.svc:16686' });
    expect(() => traceBackendSettingsFromEnv({ TRACES_QUERY_URL: 'jaeger:16686' })).toThrow(/TRACES_QUERY_URL/);
    expect(() => traceBackendSettingsFromEnv({ TRACES_QUERY_URL: 'ftp://jaeger' })).toThrow(/TRACES_QUERY_URL/);
  });
});
