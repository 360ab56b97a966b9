import { randomUUID } from 'node:crypto';
import { BoxofficeApi, contextClient, HttpClient, runningStack, type HttpResult } from '@boxoffice/testing';

/**
 * Input no client should send, and an attacker will: NUL characters (which
 * Postgres cannot store), unpaired surrogates (which UTF-8 cannot encode),
 * bytes that are not UTF-8, numbers past any range, deep nesting, oversized
 * bodies and headers. Each gets a 4xx application/problem+json answer, from
 * the gateway and from every context behind it (they validate with the same
 * schemas), and nothing is stored changed.
 */
const stack = runningStack();
const gateway = new HttpClient(stack.gatewayUrl);
const api = new BoxofficeApi(stack.gatewayUrl);
/** A context called as the gateway would call it (an admin's caller token), so its own validation is what answers. */
const context = (name: string) => contextClient(stack, name);
const SECTIONS = [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }];
const PRICES = [{ code: 'STD', priceMinor: 100, currency: 'EUR' }];

let admin: Record<string, string>;
let alice: Record<string, string>;

beforeAll(async () => {
  admin = await api.authHeaders('admin');
  alice = await api.authHeaders('alice');
});

/** A 4xx problem+json: the given status, or any 4xx when none is given. */
function expectRefused(response: HttpResult, what: string, status?: number): void {
  const is4xx = response.status >= 400 && response.status < 500;
  expect({ what, status: response.status, type: response.headers.get('content-type') }).toEqual({
    what,
    status: status ?? (is4xx ? response.status : 'a 4xx status'),
    type: expect.stringMatching(/^application\/problem\+json/),
  });
}

describe('hostile text at the gateway', () => {
  it.each([
    ['a NUL character', 'Blue\u0000Hall'],
    ['an unpaired high surrogate', 'Blue \ud800Hall'],
    ['an unpaired low surrogate', 'Blue \udfffHall'],
  ])('refuses %s in a venue name, a show title and seat ids, naming the field', async (_what, text) => {
    const venue = await gateway.post<{ errors: unknown[] }>('/admin/venues', { name: text, sections: SECTIONS }, admin);
    expectRefused(venue, 'venue name', 400);
    expect(venue.body.errors).toEqual([{ in: 'body', path: 'name', message: expect.any(String) }]);

    const created = await gateway.post<{ id: string }>('/admin/venues', { name: 'Plain hall', sections: SECTIONS }, admin);
    expect(created.status).toBe(201);
    const show = await gateway.post('/admin/shows', { venueId: created.body.id, title: text, startsAt: '2027-03-01T20:00:00Z', priceTiers: PRICES }, admin);
    expectRefused(show, 'show title', 400);

    const order = await gateway.post('/orders', { showId: randomUUID(), seatIds: [`A-1-${text}`] }, { ...alice, 'idempotency-key': randomUUID() });
    expectRefused(order, 'seat id', 400);
  });

  it('stores text with emoji and accents as sent', async () => {
    const name = 'Salle « bleue » 🎭';
    const created = await gateway.post<{ id: string }>('/admin/venues', { name, sections: SECTIONS }, admin);
    expect(created.status).toBe(201);
    expect((await gateway.get<{ name: string }>(`/admin/venues/${created.body.id}`, admin)).body.name).toBe(name);
  });

  it('refuses a body that is not UTF-8 rather than storing it changed', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"Blue '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`","sections":${JSON.stringify(SECTIONS)}}`)]);
    const response = await gateway.send<{ code: string }>('POST', '/admin/venues', bytes, admin);
    expectRefused(response, 'invalid UTF-8', 400);
    expect(response.body.code).toBe('invalid-utf8');
  });

  it('refuses numbers past any range, and deep nesting', async () => {
    for (const rows of ['1e400', '123456789012345678901234567890', '-1e-400', '1.5']) {
      const response = await gateway.send<{ errors: unknown[] }>('POST', '/admin/venues', `{"name":"Hall","sections":[{"code":"A","rows":${rows},"seatsPerRow":1,"priceTier":"S"}]}`, admin);
      expectRefused(response, `rows ${rows}`, 400);
      // One error for the one bad value, the bound that applies rather than zod's 2^53 - 1 as well.
      expect({ rows, errors: response.body.errors }).toEqual({ rows, errors: [expect.objectContaining({ in: 'body', path: 'sections.0.rows' })] });
    }
    const tooBig = await gateway.send<{ errors: unknown[] }>('POST', '/admin/venues', `{"name":"Hall","sections":[{"code":"A","rows":123456789012345678901234567890,"seatsPerRow":1,"priceTier":"S"}]}`, admin);
    expect(tooBig.body.errors).toEqual([{ in: 'body', path: 'sections.0.rows', message: 'Too big: expected number to be <=200' }]);
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expectRefused(await gateway.send('POST', '/admin/venues', deep, admin), 'deep arrays', 400);
    expectRefused(await gateway.send('POST', '/admin/venues', `{"name":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`, admin), 'deep objects', 400);
  });

  it('answers an oversized body with 413 and oversized headers with 431, both problem+json', async () => {
    expectRefused(await gateway.send('POST', '/admin/venues', JSON.stringify({ name: 'x'.repeat(100_000), sections: SECTIONS }), admin), 'body', 413);
    expectRefused(await gateway.get('/shows', { 'x-padding': 'x'.repeat(20_000) }), 'headers', 431);
  });

  it('answers a body that is not JSON with 415', async () => {
    expectRefused(await gateway.send('POST', '/admin/venues', 'name=Hall', { ...admin, 'content-type': 'application/x-www-form-urlencoded' }), 'form body', 415);
  });

  it('names a path parameter, and where it was, in a validation error', async () => {
    const response = await gateway.get<{ errors: unknown[] }>('/shows/not-an-id');
    expectRefused(response, 'path id', 400);
    expect(response.body.errors).toEqual([{ in: 'path', path: 'id', message: expect.any(String) }]);
    const order = await gateway.get<{ errors: unknown[] }>('/orders/%00', alice);
    expectRefused(order, 'NUL path id', 400);
    expect(order.body.errors).toEqual([{ in: 'path', path: 'id', message: expect.any(String) }]);
  });

  it('answers a method a path does not have with 405 and Allow', async () => {
    const response = await gateway.send('DELETE', '/shows');
    expectRefused(response, 'DELETE /shows', 405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await gateway.send('PUT', `/orders/${randomUUID()}`, undefined, alice)).headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});

describe('authentication before the body', () => {
  it('answers a request without a token 401 whatever its body', async () => {
    expectRefused(await gateway.send('POST', '/admin/venues', '{"oops": '), 'malformed JSON', 401);
    expectRefused(await gateway.send('POST', '/orders', Buffer.from([0xff, 0xfe])), 'not UTF-8', 401);
    expectRefused(await gateway.send('POST', '/admin/shows', JSON.stringify({ title: 'x'.repeat(100_000) })), 'oversized', 401);
  });

  it('answers the wrong role 403 whatever the body', async () => {
    expectRefused(await gateway.send('POST', '/admin/venues', '{"oops": ', alice), 'malformed JSON, customer', 403);
  });
});

describe('hostile text at every context', () => {
  const nul = '%00';
  it.each([
    ['catalog', 'POST', '/venues', { name: 'Hall\u0000', sections: SECTIONS }],
    ['catalog', 'POST', '/shows', { venueId: randomUUID(), title: 'Show\u0000', startsAt: '2027-03-01T20:00:00Z', priceTiers: PRICES }],
    ['catalog', 'GET', `/shows?status=${nul}`, undefined],
    ['catalog', 'GET', `/venues/${nul}`, undefined],
    ['inventory', 'GET', `/shows/${nul}/seats`, undefined],
    ['ordering', 'POST', '/orders', { showId: randomUUID(), seatIds: ['A-1-1\u0000'], idempotencyKey: randomUUID() }],
    ['ordering', 'GET', `/orders/${nul}`, undefined],
    ['payments', 'GET', `/payments/${nul}`, undefined],
    ['ticketing', 'GET', `/customers/${nul}/tickets`, undefined],
    ['ticketing', 'GET', `/customers/a%ED%A0%80b/tickets`, undefined],
    ['ticketing', 'GET', `/tickets/verify?code=${nul}`, undefined],
    ['notifications', 'GET', `/orders/${nul}/deliveries`, undefined],
  ])('%s %s %s is refused with a 4xx problem', async (name, method, path, body) => {
    const response = await context(name).send(method, path, body === undefined ? undefined : JSON.stringify(body));
    expectRefused(response, `${name} ${method} ${path}`);
  });

  it('refuses bytes that are not UTF-8 at a context too', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"Hall '), Buffer.from([0xc3, 0x28]), Buffer.from(`","sections":${JSON.stringify(SECTIONS)}}`)]);
    expectRefused(await context('catalog').send('POST', '/venues', bytes), 'catalog: invalid UTF-8');
  });
});
