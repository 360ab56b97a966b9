import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser } from 'puppeteer-core';
import { OrderConfirmedV1, PaymentCommandV1, SeatCommandV1, SeatReplyV1, TraceView, type OrderDetailsView } from '@boxoffice/contracts';
import { BoxofficeApi, eventually, runningStack, SentNotifications, WebhookReceiver } from '@boxoffice/testing';
import { launchBrowser, openPage, screenshot } from './support/browser.js';

/**
 * One trace per order (docs/observability.md): a checkout through the real
 * stack is one trace in the stack's Jaeger, from the gateway's POST /orders
 * through every context's hops (HTTP, outbox relays, Kafka consumers,
 * database transactions) to the confirmation mail. Read back from Jaeger's
 * query API, as a person with its UI would, and through the gateway's
 * `GET /admin/ops/traces/{traceId}` as the operations console's waterfall
 * draws it (ADR 0037), in Debian's Chromium from the order's page.
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

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

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

    // Spans arrive in batches (every second from each app), a span's children often before it (they end first):
    // wait until the mail's is there and the trace is one tree, every span but the gateway's first with its parent in it.
    const trace = await eventually(
      async () => {
        const found = await jaeger<{ data: JaegerTrace[] }>(`/api/traces/${traceId}`);
        expect(found.status).toBe(200);
        const [only] = found.body.data;
        expect(only.spans.map((s) => s.operationName)).toContain('send mail');
        const ids = new Set(only.spans.map((s) => s.spanID));
        const roots = only.spans.filter((s) => !s.references.some((r) => r.refType === 'CHILD_OF' && ids.has(r.spanID)));
        expect(roots.map((s) => [only.processes[s.processID].serviceName, s.operationName])).toEqual([['gateway', 'POST /orders']]);
        return only;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const serviceOf = (span: JaegerSpan) => trace.processes[span.processID].serviceName;
    const services = new Set(trace.spans.map(serviceOf));
    expect([...services].sort()).toEqual(expect.arrayContaining(['gateway', 'inventory', 'notifications', 'ordering', 'payments', 'ticketing']));

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

    // The gateway answers the same trace to an admin, as the console's waterfall: every span, one root, six apps.
    const admin = await api.authHeaders('admin');
    const waterfall = await api.http.get<TraceView>(`/admin/ops/traces/${traceId}`, admin);
    expect(waterfall.status).toBe(200);
    expect(TraceView.parse(waterfall.body)).toEqual(waterfall.body);
    expect(waterfall.body.spanCount).toBe(trace.spans.length);
    expect(waterfall.body.orphans).toBe(0);
    expect(waterfall.body.spans[0]).toMatchObject({ service: 'gateway', name: 'POST /orders', parentSpanId: null, depth: 0, startOffsetMs: 0 });
    expect(waterfall.body.services.map((s) => s.service).sort()).toEqual([...services].sort());
    expect(waterfall.body.spans.find((s) => s.name === 'send mail')).toMatchObject({ service: 'notifications', status: 'unset', error: null });
  });

  it('is an admin’s to read through the gateway: a customer gets 403, an unknown trace 404, a malformed id 400', async () => {
    const admin = await api.authHeaders('admin');
    const unknown = await api.http.get<{ code: string }>(`/admin/ops/traces/${randomUUID().replaceAll('-', '')}`, admin);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body.code).toBe('not-found');
    const malformed = await api.http.get<{ code: string }>('/admin/ops/traces/not-a-trace-id', admin);
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('validation-failed');
    expect((await api.http.get(`/admin/ops/traces/${'0'.repeat(32)}`, admin)).status).toBe(400);

    const { showId, seatIds } = await api.publishShow('Traced privately', [{ code: 'A', rows: 1, seatsPerRow: 1, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('pryce', { showId, seatIds });
    const traceId = (placed.headers.get('traceresponse') ?? '').split('-')[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect((await api.http.get(`/admin/ops/traces/${traceId}`, await api.authHeaders('pryce'))).status).toBe(403);
    expect((await api.http.get(`/admin/ops/traces/${traceId}`)).status).toBe(401);
    await eventually(async () => expect((await api.http.get(`/admin/ops/traces/${traceId}`, admin)).status).toBe(200), { timeoutMs: 30_000, intervalMs: 500 });
  });

  it('shows as a waterfall in the console, from the order page’s trace link, with spans from at least five contexts', async () => {
    browser = await launchBrowser();
    const title = `Waterfall ${randomUUID().slice(0, 6)}`;
    const { showId } = await api.publishShow(title, [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }], { STD: 3000 });
    await api.waitUntilOnSale(showId);
    const { page, errors } = await openPage(browser);
    await page.goto(`${stack.storefront.url}/shows/${showId}`);
    await page.waitForSelector('[data-testid="connection"].connection-live');
    await page.click('[data-seat-id="A-1-2"]');
    await page.click('[data-seat-id="A-1-3"]');
    await page.type('.sign-in input[name="username"]', 'walter');
    await page.click('.sign-in button[type="submit"]');
    await page.waitForSelector('.who');
    await page.click('[data-testid="basket"] button.primary');
    await page.waitForSelector('[data-testid="order"][data-status="confirmed"]', { timeout: 60_000 });

    // The order's trace link opens the console's waterfall, which asks for the admin: once the mail's span is in.
    const href = await page.$eval('[data-testid="trace-link"]', (link) => link.getAttribute('href'));
    const traceId = href!.split('/').pop()!;
    await eventually(
      async () => expect((await jaeger<{ data: JaegerTrace[] }>(`/api/traces/${traceId}`)).body.data[0]?.spans.map((s) => s.operationName)).toContain('send mail'),
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    await page.click('[data-testid="trace-link"]');
    await page.waitForSelector('[data-testid="admin-sign-in"]');
    expect(page.url()).toBe(`${stack.storefront.url}/console/traces/${traceId}`);
    await page.click('[data-testid="admin-sign-in"]');

    await page.waitForSelector('[data-testid="waterfall"] [data-testid="span-row"][data-service="notifications"]', { timeout: 30_000 });
    await page.waitForFunction(`!document.querySelector('[data-testid="trace-incomplete"]')`, { timeout: 30_000 });
    const shown = await page.$$eval('[data-testid="span-row"]', (rows) => rows.map((r) => ({ service: r.getAttribute('data-service'), depth: Number(r.getAttribute('data-depth')), name: r.querySelector('.span-name')?.textContent })));
    const contexts = new Set(shown.map((r) => r.service));
    expect(contexts.size).toBeGreaterThanOrEqual(5);
    expect([...contexts]).toEqual(expect.arrayContaining(['gateway', 'ordering', 'inventory', 'payments', 'notifications']));
    expect(shown[0]).toEqual({ service: 'gateway', depth: 0, name: 'POST /orders' });
    expect(shown.filter((r) => r.depth === 0)).toHaveLength(1);
    // The summary counts what the rows show.
    const summary = await page.$eval('[data-testid="trace-summary"]', (s) => ({ spans: Number(s.getAttribute('data-span-count')), services: s.getAttribute('data-services')!.split(',') }));
    expect(summary.spans).toBe(shown.length);
    expect(new Set(summary.services)).toEqual(contexts);
    // A row opens on its attributes: the consumer of the seat command names its topic.
    await page.click('[data-testid="span-row"][data-service="inventory"]');
    expect(await page.$eval('[data-testid="span-details"]', (d) => d.textContent)).toContain('inventory');
    await page.click('[data-testid="span-row"][data-service="inventory"]');
    await page.waitForFunction(`document.querySelector('[data-testid="trace-page"]').getAttribute('data-following') === 'false'`, { timeout: 30_000 });
    await screenshot(page, 'trace-waterfall');
    expect(errors).toEqual([]);
  });

  it('names its trace id on every log line written for it, the request line of POST /orders included', async () => {
    const { showId, seatIds } = await api.publishShow('Traced logs', [{ code: 'A', rows: 1, seatsPerRow: 1, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('logan', { showId, seatIds });
    const traceId = (placed.headers.get('traceresponse') ?? '').split('-')[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await api.settledOrder('logan', placed.body.orderId);
    // The order names its trace too, for a link from any browser (ADR 0044).
    expect(((await api.order('logan', placed.body.orderId)).body as OrderDetailsView).traceId).toBe(traceId);
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
      // The confirmation mail went out, and its line names the trace (written after the send's span ended).
      expect(linesOf('notifications').filter((l) => l.msg === 'delivered' && l.orderId === placed.body.orderId)).toEqual([expect.objectContaining({ channel: 'mail', traceId })]);
    });
    // Every line of every app that names the order names its trace.
    const aboutTheOrder = Object.keys(stack.apps).flatMap((app) => linesOf(app).filter((l) => l.orderId === placed.body.orderId));
    expect(aboutTheOrder.filter((l) => l.traceId !== traceId)).toEqual([]);
  });
});
