import pg from 'pg';
import { BoxofficeApi, eventually, runningStack } from '@boxoffice/testing';
import { BucketMap } from '@boxoffice/persistence';

/**
 * `GET /orders/:id` with `Prefer: wait=N` (RFC 7240): one request answers
 * with the settled order, instead of a client polling. Ordering hears that an
 * order settled through a NOTIFY on the order's shard, whichever replica
 * settled it; these tests listen there too.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const buckets = new BucketMap(stack.bucketMap);

async function showOnSale(title: string): Promise<{ showId: string; seatIds: string[] }> {
  const show = await api.publishShow(title, [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }], { STD: 3000 });
  await api.waitUntilOnSale(show.showId);
  return show;
}

describe('waiting for an order to settle (Prefer: wait)', () => {
  const heard = new Map<number, string[]>();
  const listeners: pg.Client[] = [];

  beforeAll(async () => {
    for (const [shard, { primary }] of stack.databases.ordering.entries()) {
      const client = new pg.Client({ connectionString: primary });
      await client.connect();
      heard.set(shard, []);
      client.on('notification', (message) => heard.get(shard)?.push(message.payload ?? ''));
      await client.query('LISTEN order_settled');
      listeners.push(client);
    }
  });

  afterAll(async () => {
    await Promise.all(listeners.map((client) => client.end()));
  });

  it('answers with the settled order in one request, and says the preference was applied', async () => {
    const { showId, seatIds } = await showOnSale('Wait for it');
    const placed = await api.placeOrder('alice', { showId, seatIds: seatIds.slice(0, 2) });
    expect(placed.status).toBe(202);
    expect(placed.body.settled).toBe(false);

    const waited = await api.order('alice', placed.body.orderId, { waitSeconds: 10 });
    expect(waited.status).toBe(200);
    expect(waited.body).toMatchObject({ orderId: placed.body.orderId, status: 'confirmed', settled: true });
    expect(waited.headers.get('preference-applied')).toBe('wait=10');
    // The settling transaction notified the order's own shard, and only it.
    const shard = buckets.shardOf(placed.body.orderId);
    await eventually(() => expect(heard.get(shard)).toContain(placed.body.orderId));
    for (const [other, payloads] of heard) if (other !== shard) expect(payloads).not.toContain(placed.body.orderId);
  });

  it('answers a settled order at once, caps a longer wait and ignores a preference it cannot read', async () => {
    const { showId, seatIds } = await showOnSale('Already settled');
    const placed = await api.placeOrder('alice', { showId, seatIds: [seatIds[0]] });
    await api.settledOrder('alice', placed.body.orderId);

    const capped = await api.order('alice', placed.body.orderId, { waitSeconds: 3600 });
    expect(capped.status).toBe(200);
    expect(capped.body.settled).toBe(true);
    expect(capped.headers.get('preference-applied')).toBe('wait=20');

    const unreadable = await api.http.get(`/orders/${placed.body.orderId}`, { ...(await api.authHeaders('alice')), prefer: 'wait=soon' });
    expect(unreadable.status).toBe(200);
    expect(unreadable.headers.get('preference-applied')).toBeNull();
  });

  it('places an order and answers once it is settled: 201 with the outcome, and the same for a retry', async () => {
    const { showId, seatIds } = await showOnSale('Place and wait');
    const key = `wait-${Date.now()}`;
    const placed = await api.placeOrder('alice', { showId, seatIds: seatIds.slice(0, 2) }, key, { waitSeconds: 10 });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'confirmed', settled: true });
    expect(placed.headers.get('preference-applied')).toBe('wait=10');
    expect(placed.headers.get('location')).toBe(`/orders/${placed.body.orderId}`);

    const retried = await api.placeOrder('alice', { showId, seatIds: seatIds.slice(0, 2) }, key, { waitSeconds: 10 });
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(placed.body);
    // Without the preference the answer stays what it always was: 202, whatever the order's state.
    const retriedPlainly = await api.placeOrder('alice', { showId, seatIds: seatIds.slice(0, 2) }, key);
    expect(retriedPlainly.status).toBe(202);
    expect(retriedPlainly.body).toEqual(placed.body);

    const lost = await api.placeOrder('bob', { showId, seatIds: [seatIds[1]] }, undefined, { waitSeconds: 10 });
    expect(lost.status).toBe(201);
    expect(lost.body).toMatchObject({ status: 'rejected', settled: true });
  });

  it('places an order without waiting when not asked to: 202, not settled yet', async () => {
    const { showId, seatIds } = await showOnSale('Place, do not wait');
    const placed = await api.placeOrder('alice', { showId, seatIds: [seatIds[0]] });
    expect(placed.status).toBe(202);
    expect(placed.headers.get('preference-applied')).toBeNull();
    await api.settledOrder('alice', placed.body.orderId);
  });

  it('keeps someone else’s order hidden, also from a caller who waits', async () => {
    const { showId, seatIds } = await showOnSale('Not yours');
    const placed = await api.placeOrder('alice', { showId, seatIds: [seatIds[0]] });
    const snooped = await api.order('bob', placed.body.orderId, { waitSeconds: 10 });
    expect(snooped.status).toBe(404);
    expect(snooped.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('answers an unknown order with 404 without waiting for it', async () => {
    const unknown = await api.order('alice', '00000000-0000-4000-8000-000000000000', { waitSeconds: 10 });
    expect(unknown.status).toBe(404);
  });
});
