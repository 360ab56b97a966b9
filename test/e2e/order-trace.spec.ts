import { readFileSync } from 'node:fs';
import { OrderConfirmedV1, PaymentCommandV1, SeatCommandV1, SeatReplyV1 } from '@boxoffice/contracts';
import { BoxofficeApi, eventually, runningStack, SentNotifications, WebhookReceiver } from '@boxoffice/testing';

/**
 * One trace per order (docs/observability.md): a checkout through the real
 * stack is one trace in the stack's Jaeger, from the gateway's POST /orders
 * through every context's hops (HTTP, outbox relays, Kafka consumers,
 * database transactions) to the confirmation mail. Read back from Jaeger's
 * query API, as the operations console and a person with the UI would.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const sentNotifications = new SentNotifications(stack);

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

async function jaeger<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${jaegerUrl()}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

function jaegerUrl(): string {
  if (!stack.jaeger) throw new Error('the test stack runs without Jaeger (BOXOFFICE_TRACING=off?)');
  return stack.jaeger.url;
}

describe('the trace of an order', () => {
  const receiver = new WebhookReceiver(stack);

  it('is one trace from the POST at the gateway to the confirmation mail, with spans from every context', async () => {
    const { showId, seatIds } = await api.publishShow('Traced', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }], { STD: 2500 });
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('tracy', { showId, seatIds, callbackUrl: receiver.callbackUrl() });
    expect(placed.status).toBe(202);
    // W3C Trace Context level 2: the answer names the trace it belongs to.
    const traceresponse = placed.headers.get('traceresponse') ?? '';
    expect(traceresponse).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = traceresponse.split('-')[1];
    const order = await api.settledOrder('tracy', placed.body.orderId);
    expect(order.status).toBe('confirmed');
    await sentNotifications.sent(order.orderId, 'order.confirmed');

    // Spans arrive in batches (every second from each app): wait until the mail's is there.
    const trace = await eventually(
      async () => {
        const found = await jaeger<{ data: JaegerTrace[] }>(`/api/traces/${traceId}`);
        expect(found.status).toBe(200);
        const [only] = found.body.data;
        expect(only.spans.map((s) => s.operationName)).toContain('send mail');
        return only;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const serviceOf = (span: JaegerSpan) => trace.processes[span.processID].serviceName;
    const services = new Set(trace.spans.map(serviceOf));
    expect([...services].sort()).toEqual(expect.arrayContaining(['gateway', 'inventory', 'notifications', 'ordering', 'payments', 'ticketing']));

    // One tree: every span but the gateway's first has its parent in this trace.
    const ids = new Set(trace.spans.map((s) => s.spanID));
    const roots = trace.spans.filter((s) => !s.references.some((r) => r.refType === 'CHILD_OF' && ids.has(r.spanID)));
    expect(roots.map((s) => [serviceOf(s), s.operationName])).toEqual([['gateway', 'POST /orders']]);

    // Each hop is a span: Kafka messages through the outbox relays and consumers, transactions and their queries.
    const operations = (service: string) => trace.spans.filter((s) => serviceOf(s) === service).map((s) => s.operationName);
    expect(operations('ordering')).toEqual(expect.arrayContaining([`publish ${SeatCommandV1.topic}`, `process ${SeatReplyV1.topic}`, 'transaction']));
    expect(operations('inventory')).toEqual(expect.arrayContaining([`process ${SeatCommandV1.topic}`, `publish ${SeatReplyV1.topic}`]));
    expect(operations('payments')).toEqual(expect.arrayContaining([`process ${PaymentCommandV1.topic}`]));
    expect(operations('notifications')).toEqual(expect.arrayContaining([`process ${OrderConfirmedV1.topic}`, 'send mail', 'send webhook']));
    expect(trace.spans.some((s) => s.tags.some((t) => t.key === 'db.system.name' && t.value === 'postgresql') && s.operationName !== 'transaction')).toBe(true);

    // The console finds an order's trace by the order id, the messages' conversation id.
    const search = await jaeger<{ data: JaegerTrace[] }>(
      `/api/traces?service=notifications&tags=${encodeURIComponent(JSON.stringify({ 'messaging.message.conversation_id': order.orderId }))}&lookback=1h&limit=5`,
    );
    expect(search.body.data.map((t) => t.traceID)).toEqual([traceId]);
  });

  it('names its trace id on every log line written for it, the request line of POST /orders included', async () => {
    const { showId, seatIds } = await api.publishShow('Traced logs', [{ code: 'A', rows: 1, seatsPerRow: 1, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('logan', { showId, seatIds });
    const traceId = (placed.headers.get('traceresponse') ?? '').split('-')[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await api.settledOrder('logan', placed.body.orderId);
    const linesOf = (app: string) =>
      stack.apps[app].flatMap((instance) =>
        readFileSync(instance.log, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      );
    await eventually(() => {
      const request = linesOf('gateway').filter((l) => l.msg === 'request' && l.method === 'POST' && l.path === '/orders' && l.traceId === traceId);
      expect(request).toEqual([expect.objectContaining({ status: 202, spanId: expect.stringMatching(/^[0-9a-f]{16}$/) })]);
      // The gateway's call reached ordering in the same trace, and was logged there too.
      expect(linesOf('ordering').filter((l) => l.msg === 'request' && l.traceId === traceId).map((l) => l.path)).toEqual(['/orders']);
    });
  });
});
