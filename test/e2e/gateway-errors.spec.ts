import { BoxofficeApi, HttpClient, runningStack } from '@boxoffice/testing';
import { signedToken } from './support/tokens.js';

/** Bad input at the edge gets a clear problem+json answer with the right status, never a 500. */
const gateway = new HttpClient(runningStack().gatewayUrl);
const api = new BoxofficeApi(runningStack().gatewayUrl);
let admin: Record<string, string>;
let alice: Record<string, string>;

beforeAll(async () => {
  admin = await api.authHeaders('admin');
  alice = await api.authHeaders('alice');
});

function expectProblem(response: { status: number; headers: Headers; body: unknown }, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code, type: `urn:boxoffice:problem:${code}` });
}

describe('gateway errors', () => {
  it('answers malformed JSON with 400', async () => {
    expectProblem(await gateway.send('POST', '/admin/venues', '{"name": "Hall", "sections": [', admin), 400, 'malformed-json');
  });

  it('answers wrong types with 400 naming every bad field', async () => {
    const response = await gateway.post<{ errors: { path: string }[] }>('/admin/venues', { name: 42, sections: [{ code: 'A', rows: 'three', seatsPerRow: 2, priceTier: 'X' }] }, admin);
    expectProblem(response, 400, 'validation-failed');
    expect(response.body.errors.map((e) => e.path).sort()).toEqual(['name', 'sections.0.rows']);
  });

  it('answers unknown fields with 400', async () => {
    expectProblem(await gateway.post('/admin/venues', { name: 'Hall', sections: [{ code: 'A', rows: 1, seatsPerRow: 1, priceTier: 'X' }], vip: true }, admin), 400, 'validation-failed');
  });

  it('answers an oversized body with 413', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(200_000), sections: [] });
    expectProblem(await gateway.send('POST', '/admin/venues', huge, admin), 413, 'payload-too-large');
  });

  it('answers an id that is not a uuid with 400 and an unknown show with 404', async () => {
    expectProblem(await gateway.get('/shows/not-a-uuid'), 400, 'validation-failed');
    expectProblem(await gateway.get('/shows/01960000-0000-7000-8000-0000000000ff'), 404, 'not-found');
    expectProblem(await gateway.get('/shows/not-a-uuid/seats'), 400, 'validation-failed');
    expectProblem(await gateway.get('/shows/01960000-0000-7000-8000-0000000000ff/seats'), 404, 'not-found');
  });

  it('answers a draft show, and its seat map, with 404', async () => {
    const venue = await gateway.post<{ id: string }>('/admin/venues', { name: 'Draft hall', sections: [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }] }, admin);
    expect(venue.status).toBe(201);
    const show = await gateway.post<{ id: string }>('/admin/shows', {
      venueId: venue.body.id,
      title: 'Not yet',
      startsAt: '2027-03-01T20:00:00Z',
      priceTiers: [{ code: 'STD', priceMinor: 100, currency: 'EUR' }],
    }, admin);
    expect(show.status).toBe(201);
    expectProblem(await gateway.get(`/shows/${show.body.id}`), 404, 'not-found');
    expectProblem(await gateway.get(`/shows/${show.body.id}/seats`), 404, 'not-found');
  });

  it('answers publishing a show that is no longer a draft with 409, its state being in the way', async () => {
    const venue = await gateway.post<{ id: string }>('/admin/venues', { name: 'Twice hall', sections: [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }] }, admin);
    const show = await gateway.post<{ id: string }>('/admin/shows', {
      venueId: venue.body.id,
      title: 'Published once',
      startsAt: '2027-03-01T20:00:00Z',
      priceTiers: [{ code: 'STD', priceMinor: 100, currency: 'EUR' }],
    }, admin);
    expect((await gateway.post(`/admin/shows/${show.body.id}/publish`, undefined, admin)).status).toBe(200);
    expectProblem(await gateway.post(`/admin/shows/${show.body.id}/publish`, undefined, admin), 409, 'show-not-draft');
    expect((await gateway.post(`/admin/shows/${show.body.id}/cancel`, undefined, admin)).status).toBe(200);
    expectProblem(await gateway.post(`/admin/shows/${show.body.id}/publish`, undefined, admin), 409, 'show-not-draft');
  });

  it('answers a show at an unknown venue with 404', async () => {
    const response = await gateway.post('/admin/shows', {
      venueId: '01960000-0000-7000-8000-0000000000fe',
      title: 'Nowhere',
      startsAt: '2027-03-01T20:00:00Z',
      priceTiers: [{ code: 'STD', priceMinor: 100, currency: 'EUR' }],
    }, admin);
    expectProblem(response, 404, 'not-found');
  });

  it('answers a missing or bad token with 401 and the wrong role with 403', async () => {
    expectProblem(await gateway.post('/admin/venues', {}), 401, 'unauthorized');
    expectProblem(await gateway.post('/admin/venues', {}, { authorization: 'Bearer not.a.token' }), 401, 'unauthorized');
    expectProblem(await gateway.post('/admin/venues', {}, alice), 403, 'forbidden');
    expectProblem(await gateway.get('/orders/01960000-0000-7000-8000-0000000000fd'), 401, 'unauthorized');
  });

  it('says which scheme a 401 wants, and tells an expired token, to be renewed, from a bad one', async () => {
    const none = await gateway.get('/me/tickets');
    expectProblem(none, 401, 'unauthorized');
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="boxoffice"');

    const bad = await gateway.get('/me/tickets', { authorization: 'Bearer not.a.token' });
    expectProblem(bad, 401, 'unauthorized');
    expect(bad.headers.get('www-authenticate')).toBe('Bearer realm="boxoffice", error="invalid_token", error_description="the bearer token is invalid"');
    expect(bad.body).toMatchObject({ detail: 'the bearer token is invalid' });

    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'alice', email: 'alice@example.test', role: 'customer' };
    const expired = await gateway.get('/me/tickets', { authorization: `Bearer ${signedToken({ ...claims, iat: now - 7200, exp: now - 3600 })}` });
    expectProblem(expired, 401, 'unauthorized');
    expect(expired.headers.get('www-authenticate')).toBe('Bearer realm="boxoffice", error="invalid_token", error_description="the bearer token expired"');
    expect(expired.body).toMatchObject({ detail: `the bearer token expired at ${new Date((now - 3600) * 1000).toISOString()}; sign in again for a new one` });

    // Expired is said only of a token whose signature holds: a forged one is just invalid.
    const forged = `${signedToken({ ...claims, iat: now - 7200, exp: now - 3600 }).slice(0, -4)}AAAA`;
    expect((await gateway.get('/me/tickets', { authorization: `Bearer ${forged}` })).body).toMatchObject({ detail: 'the bearer token is invalid' });
    // The same claims, still valid, are accepted: the 401s above are about the token, not the test's signing.
    expect((await gateway.get('/me/tickets', { authorization: `Bearer ${signedToken({ ...claims, iat: now, exp: now + 600 })}` })).status).toBe(200);
  });

  it('answers an order without Idempotency-Key with 400, and bad order bodies with 400', async () => {
    const body = { showId: '01960000-0000-7000-8000-0000000000fc', seatIds: ['A-1-1'] };
    expectProblem(await gateway.post('/orders', body, alice), 400, 'idempotency-key-required');
    expectProblem(await gateway.post('/orders', { ...body, seatIds: [] }, { ...alice, 'idempotency-key': 'key-0000001' }), 400, 'validation-failed');
    const ftp = await gateway.post('/orders', { ...body, callbackUrl: 'ftp://x' }, { ...alice, 'idempotency-key': 'key-0000002' });
    expectProblem(ftp, 400, 'validation-failed');
    // One clear error for the one bad field, not one per check it failed.
    expect(ftp.body).toMatchObject({ errors: [{ in: 'body', path: 'callbackUrl', message: 'an http(s) URL with a host name or IPv4 address' }] });
    expect((ftp.body as { errors: unknown[] }).errors).toHaveLength(1);
    expectProblem(await gateway.send('POST', '/orders', '{"showId":', { ...alice, 'idempotency-key': 'key-0000003' }), 400, 'malformed-json');
  });

  it('answers an unknown order with 404', async () => {
    expectProblem(await gateway.get('/orders/01960000-0000-7000-8000-0000000000fd', alice), 404, 'not-found');
    expectProblem(await gateway.get('/orders/nope', alice), 400, 'validation-failed');
  });

  it('answers an unknown route with 404', async () => {
    expectProblem(await gateway.get('/no/such/route'), 404, 'not-found');
  });

  it('serves its OpenAPI document, with request schemas from the same definitions that validate', async () => {
    const response = await gateway.get<{ openapi: string; paths: Record<string, unknown> }>('/docs/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/shows/{id}', '/admin/venues', '/admin/shows/{id}/publish']));
    expect(JSON.stringify(response.body.paths['/admin/venues'])).toContain('seatsPerRow');
  });
});
