import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { CALLER_TOKEN_LIFETIME_SECONDS, CallerTokenSigner, CLOCK_TOLERANCE_SECONDS, generateCallerTokenKeys, signingKeyFromEnv, type Principal, type SignedRequest } from '@boxoffice/platform';
import { BoxofficeApi, contextClient, eventually, HttpClient, runningStack, stackSigningKey, type OrderView } from '@boxoffice/testing';

/**
 * The contexts' own HTTP routes, reached directly on the real stack as
 * anything on the network could (a webhook pointed at them, a compromised
 * pod): without the gateway's caller token for that context and that very
 * request, every route answers 401 (ADR 0017); with one, each context
 * applies its own rules to the principal the token carries, so a customer
 * cannot act for another even when the request bypasses the gateway.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const stackKey = stackSigningKey(stack);
/** A key pair the stack never heard of, under the stack's own key id: a forger who guessed the id. */
const forgedKey = signingKeyFromEnv({ CALLER_TOKEN_SIGNING_KEY: generateCallerTokenKeys(stackKey.id).signingKey });

const ADMIN: Principal = { id: 'admin', email: 'admin@example.test', role: 'admin' };
const customer = (id: string): Principal => ({ id, email: `${id}@example.test`, role: 'customer' });

interface Route {
  app: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

const ID = randomUUID();
/** Every HTTP route of every context (besides health and metrics), with a well-formed path. */
const ROUTES: Route[] = [
  { app: 'catalog', method: 'POST', path: '/venues', body: { name: 'Forged hall', sections: [{ code: 'A', rows: 1, seatsPerRow: 1, priceTier: 'STD' }] } },
  { app: 'catalog', method: 'GET', path: `/venues/${ID}` },
  { app: 'catalog', method: 'POST', path: '/shows', body: { venueId: ID, title: 'Forged', startsAt: '2027-03-01T20:00:00Z', priceTiers: [{ code: 'STD', priceMinor: 100, currency: 'EUR' }] } },
  { app: 'catalog', method: 'POST', path: `/shows/${ID}/publish` },
  { app: 'catalog', method: 'POST', path: `/shows/${ID}/cancel` },
  { app: 'catalog', method: 'GET', path: '/shows?status=published' },
  { app: 'catalog', method: 'GET', path: `/shows/${ID}` },
  { app: 'inventory', method: 'GET', path: `/shows/${ID}/availability` },
  { app: 'inventory', method: 'GET', path: `/shows/${ID}/seats` },
  { app: 'ordering', method: 'POST', path: '/orders', body: { showId: ID, seatIds: ['A-1-1'], idempotencyKey: `forged-${ID}` } },
  { app: 'ordering', method: 'GET', path: `/orders/${ID}` },
  { app: 'ordering', method: 'POST', path: `/orders/${ID}/refund` },
  { app: 'ordering', method: 'GET', path: '/customers/alice/orders?limit=5' },
  { app: 'ordering', method: 'GET', path: `/shows/${ID}/orders` },
  { app: 'ordering', method: 'GET', path: '/ops/orders' },
  { app: 'ordering', method: 'GET', path: '/ops/sagas' },
  { app: 'payments', method: 'GET', path: `/payments/${ID}` },
  { app: 'payments', method: 'GET', path: '/ledger/balance' },
  { app: 'ticketing', method: 'GET', path: '/customers/alice/tickets' },
  { app: 'ticketing', method: 'GET', path: '/tickets/verify?code=bxt1.forged' },
  { app: 'notifications', method: 'GET', path: `/orders/${ID}/deliveries` },
];
const CONTEXTS = [...new Set(ROUTES.map((r) => r.app))];
const name = (r: Route) => `${r.app} ${r.method} ${r.path.replace(ID, ':id')}`;

function direct(app: string): HttpClient {
  return new HttpClient(stack.apps[app]![0]!.url);
}

/** Sends a route's request with exactly these headers, no token added. */
function send(route: Route, headers: Record<string, string> = {}) {
  return direct(route.app).send<{ code?: string; status?: number }>(route.method, route.path, route.body === undefined ? undefined : JSON.stringify(route.body), headers);
}

function token(route: Route, { key = stackKey, now = Date.now, ...overrides }: Partial<SignedRequest> & { key?: typeof stackKey; now?: () => number } = {}): string {
  const body = route.body === undefined ? undefined : JSON.stringify(route.body);
  return new CallerTokenSigner(key, now).sign({ audience: route.app, method: route.method, path: route.path, body, principal: ADMIN, ...overrides });
}

const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

function expectUnauthenticated(response: { status: number; headers: Headers; body: { code?: string } }): void {
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body.code).toBe('caller-unauthenticated');
}

describe('every internal route', () => {
  it.each(ROUTES.map((r) => [name(r), r] as const))('%s: works with the gateway’s caller token for it', async (_, route) => {
    const response = await send(route, bearer(token(route)));
    // Not a refusal of the caller: the route exists and the token is good (its answer is the route's own, e.g. 404 for an unknown id).
    expect([401, 403]).not.toContain(response.status);
  });

  it.each(ROUTES.map((r) => [name(r), r] as const))('%s: 401 without a caller token', async (_, route) => {
    expectUnauthenticated(await send(route));
  });

  it.each(ROUTES.map((r) => [name(r), r] as const))('%s: 401 with a token signed by another key under the stack’s key id', async (_, route) => {
    expectUnauthenticated(await send(route, bearer(token(route, { key: forgedKey }))));
  });

  it.each(ROUTES.map((r) => [name(r), r] as const))('%s: 401 with an expired token', async (_, route) => {
    // Issued 2 minutes ago: 30 s of life plus 60 s of tolerated clock skew are over.
    expectUnauthenticated(await send(route, bearer(token(route, { now: () => Date.now() - (CALLER_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS + 60) * 1000 }))));
  });

  it.each(ROUTES.map((r) => [name(r), r] as const))('%s: 401 with a token for another context', async (_, route) => {
    const other = CONTEXTS.find((c) => c !== route.app)!;
    expectUnauthenticated(await send(route, bearer(token(route, { audience: other }))));
  });

  it.each(ROUTES.map((r) => [name(r), r] as const))('%s: 401 with a token for another method or path', async (_, route) => {
    expectUnauthenticated(await send(route, bearer(token(route, { method: route.method === 'GET' ? 'POST' : 'GET' }))));
    expectUnauthenticated(await send(route, bearer(token(route, { path: `${route.path.split('?')[0]}/other` }))));
  });

  it.each(ROUTES.map((r) => [name(r), r] as const))('%s: 401 with an unsigned token (alg none) or one MACed with the public key (alg HS256)', async (_, route) => {
    const [header, claims] = token(route).split('.') as [string, string];
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
    const unsigned = `${json({ ...parsedHeader, alg: 'none' })}.${claims}`;
    expectUnauthenticated(await send(route, bearer(`${unsigned}.`)));
    const hmacInput = `${json({ ...parsedHeader, alg: 'HS256' })}.${claims}`;
    const publicKey = createPublicKey(stackKey.key).export({ format: 'der', type: 'spki' });
    expectUnauthenticated(await send(route, bearer(`${hmacInput}.${createHmac('sha256', publicKey).update(hmacInput).digest('base64url')}`)));
  });

  it.each(ROUTES.map((r) => [name(r), r] as const))('%s: 401 with an end user’s own access token instead of the gateway’s', async (_, route) => {
    expectUnauthenticated(await send(route, await api.authHeaders('admin')));
  });

  it.each(CONTEXTS)('%s: 401 on an unknown route too, and for a body other than the one signed', async (app) => {
    expectUnauthenticated(await send({ app, method: 'GET', path: '/no-such-route' }));
    const venue = ROUTES[0]!;
    const forOtherBody = token(venue, { body: JSON.stringify({ name: 'Another hall', sections: [] }) });
    expect((await send(venue, bearer(forOtherBody))).body.code).toBe('caller-unauthenticated');
  });

  it.each(CONTEXTS)('%s: answers health and metrics without a token (probes and scrapers)', async (app) => {
    for (const path of ['/health/live', '/health/ready', '/metrics']) expect((await direct(app).get(path)).status).toBe(200);
  });
});

describe('a customer’s token, forwarded as the gateway forwards it, reaching a context directly', () => {
  let aliceOrder: OrderView;
  let showId: string;

  beforeAll(async () => {
    const show = await api.publishShow('Trust boundaries', [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }]);
    showId = show.showId;
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('alice', { showId, seatIds: show.seatIds.slice(0, 1) });
    aliceOrder = await api.settledOrder('alice', placed.body.orderId);
    expect(aliceOrder.status).toBe('confirmed');
  });

  it("cannot read another customer's order, whatever ?customerId= says", async () => {
    const bob = contextClient(stack, 'ordering', { as: customer('bob') });
    expect((await bob.get(`/orders/${aliceOrder.orderId}`)).status).toBe(404);
    expect((await bob.get(`/orders/${aliceOrder.orderId}?customerId=alice`)).status).toBe(404);
    expect((await contextClient(stack, 'ordering', { as: customer('alice') }).get<OrderView>(`/orders/${aliceOrder.orderId}`)).body.customerId).toBe('alice');
    expect((await contextClient(stack, 'ordering', { as: ADMIN }).get(`/orders/${aliceOrder.orderId}`)).status).toBe(200);
    const list = await bob.get<{ code: string }>('/customers/alice/orders');
    expect(list.status).toBe(403);
    expect(JSON.stringify(list.body)).not.toContain(aliceOrder.orderId);
  });

  it("cannot refund another customer's order", async () => {
    const bob = contextClient(stack, 'ordering', { as: customer('bob') });
    expect((await bob.post(`/orders/${aliceOrder.orderId}/refund`)).status).toBe(404);
    const after = await contextClient(stack, 'ordering', { as: customer('alice') }).get<OrderView>(`/orders/${aliceOrder.orderId}`);
    expect(after.body.status).toBe('confirmed');
  });

  it('cannot place an order in another customer’s name: who orders comes from the token, not the body', async () => {
    const bob = contextClient(stack, 'ordering', { as: customer('bob') });
    const asAlice = await bob.post<{ code: string }>('/orders', { showId, seatIds: ['A-1-4'], idempotencyKey: randomUUID(), customerId: 'alice', customerEmail: 'alice@example.test' });
    expect(asAlice.status).toBe(400);
    const placed = await bob.post<OrderView>('/orders', { showId, seatIds: ['A-1-4'], idempotencyKey: randomUUID() });
    expect(placed.status).toBe(202);
    expect(placed.body.customerId).toBe('bob');
  });

  it("cannot read another customer's tickets", async () => {
    await eventually(async () => {
      const own = await contextClient(stack, 'ticketing', { as: customer('alice') }).get<{ tickets: { orderId: string }[] }>('/customers/alice/tickets');
      expect(own.body.tickets.map((t) => t.orderId)).toContain(aliceOrder.orderId);
    });
    const theirs = await contextClient(stack, 'ticketing', { as: customer('bob') }).get<{ code: string }>('/customers/alice/tickets');
    expect(theirs.status).toBe(403);
    expect(JSON.stringify(theirs.body)).not.toContain(aliceOrder.orderId);
  });

  it('cannot cancel a show: that needs an admin in the token, and an anonymous request is not one', async () => {
    const cancel = `/shows/${showId}/cancel`;
    expect((await contextClient(stack, 'catalog', { as: customer('bob') }).post(cancel)).status).toBe(403);
    expect((await contextClient(stack, 'catalog', { as: null }).post(cancel)).status).toBe(401);
    const show = await contextClient(stack, 'catalog', { as: null }).get<{ status: string }>(`/shows/${showId}`);
    expect(show.body.status).toBe('published');
  });

  it('cannot reach the operations routes of payments, ticketing and notifications', async () => {
    const bob = customer('bob');
    expect((await contextClient(stack, 'payments', { as: bob }).get(`/payments/${aliceOrder.orderId}`)).status).toBe(403);
    expect((await contextClient(stack, 'payments', { as: bob }).get('/ledger/balance')).status).toBe(403);
    expect((await contextClient(stack, 'notifications', { as: bob }).get(`/orders/${aliceOrder.orderId}/deliveries`)).status).toBe(403);
    expect((await contextClient(stack, 'ticketing', { as: bob }).get('/tickets/verify?code=bxt1.x')).status).toBe(403);
  });

  it('sees no draft show in catalog unless an admin', async () => {
    const anonymous = contextClient(stack, 'catalog', { as: null });
    expect((await anonymous.get('/shows?status=draft')).status).toBe(403);
    expect((await anonymous.get('/shows')).status).toBe(403);
    expect((await contextClient(stack, 'catalog', { as: ADMIN }).get('/shows?status=draft')).status).toBe(200);
  });
});

describe('a webhook aimed at a context’s own route (the attack of issue 16)', () => {
  it('does not cancel the show: the webhook carries no caller token, so catalog refuses it', async () => {
    const { showId, seatIds } = await api.publishShow('Webhook target', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const callbackUrl = `${stack.apps.catalog[0]!.url}/shows/${showId}/cancel`;
    const placed = await api.placeOrder('mallory', { showId, seatIds: seatIds.slice(0, 1), callbackUrl });
    // The order's webhook may be refused outright by the sender, or tried and answered 401: either way it has been dealt with.
    const notifications = contextClient(stack, 'notifications');
    await eventually(async () => {
      const deliveries = await notifications.get<{ channel: string; status: string; attempts: number }[]>(`/orders/${placed.body.orderId}/deliveries`);
      const webhook = deliveries.body.find((d) => d.channel === 'webhook');
      expect(webhook && (webhook.status !== 'pending' || webhook.attempts > 0)).toBe(true);
    });
    const show = await contextClient(stack, 'catalog', { as: null }).get<{ status: string }>(`/shows/${showId}`);
    expect(show.body.status).toBe('published');
  });
});
