import { randomUUID } from 'node:crypto';
import { BoxofficeApi, eventually, runningStack } from '@boxoffice/testing';
import { LIVE, SeatEventStream } from './support/seat-event-stream.js';

/**
 * The live seat map's stream (GET /shows/:id/seat-events, ADR 0033) over
 * plain HTTP: a snapshot from inventory, then the seat events from Kafka as
 * they happen, fanned out by the gateway's own consumer.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
describe('the live seat map stream', () => {
  it('starts with the seat map, then tells each change of the seats as the saga makes it: held, then sold', async () => {
    const { showId } = await api.publishShow(`Live map ${randomUUID().slice(0, 6)}`, [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const stream = await SeatEventStream.open(stack.gatewayUrl, showId);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    try {
      const placed = api.placeOrder('stella', { showId, seatIds: ['A-1-2', 'A-1-3'] });
      const events = await stream.until((seen) => seen.some((e) => (e.data as { state?: string }).state === 'sold'));
      expect(events[0]).toEqual({ event: 'snapshot', data: { showId, status: 'on-sale', seats: expect.any(Array) } });
      expect((events[0]!.data as { seats: { available: boolean }[] }).seats.filter((s) => s.available)).toHaveLength(4);
      expect(events.slice(1)).toEqual([
        { event: 'seats', data: { showId, seatIds: ['A-1-2', 'A-1-3'], state: 'held' } },
        { event: 'seats', data: { showId, seatIds: ['A-1-2', 'A-1-3'], state: 'sold' } },
      ]);
      expect((await placed).status).toBe(202);
    } finally {
      stream.close();
    }
  });

  it('frees the seats again on the stream when the payment is declined', async () => {
    const { showId } = await api.publishShow(`Declined map ${randomUUID().slice(0, 6)}`, [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const stream = await SeatEventStream.open(stack.gatewayUrl, showId);
    try {
      await api.placeOrder('decline-dan', { showId, seatIds: ['A-1-1'] });
      const events = await stream.until((seen) => seen.some((e) => (e.data as { state?: string }).state === 'free'));
      expect(events.slice(1).map((e) => (e.data as { state: string }).state)).toEqual(['held', 'free']);
    } finally {
      stream.close();
    }
  });

  it('tells an open stream when the show is cancelled', async () => {
    const { showId } = await api.publishShow(`Cancelled map ${randomUUID().slice(0, 6)}`, [{ code: 'A', rows: 1, seatsPerRow: 3, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const stream = await SeatEventStream.open(stack.gatewayUrl, showId);
    try {
      const cancelled = await api.http.post<{ status: string }>(`/admin/shows/${showId}/cancel`, undefined, await api.authHeaders('admin'));
      expect(cancelled.status).toBe(200);
      const events = await stream.until((seen) => seen.some((e) => e.event === 'show'));
      expect(events[0]!.event).toBe('snapshot');
      // Nothing was sold: the show event alone says the free seats are withdrawn now.
      expect(events.slice(1)).toEqual([{ event: 'show', data: { showId, status: 'cancelled' } }]);
    } finally {
      stream.close();
    }
  });

  it('tells a stream opened after the cancellation that the show is cancelled, right after its snapshot', async () => {
    const { showId } = await api.publishShow(`Cancelled before ${randomUUID().slice(0, 6)}`, [{ code: 'A', rows: 1, seatsPerRow: 3, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const cancelled = await api.http.post<{ status: string }>(`/admin/shows/${showId}/cancel`, undefined, await api.authHeaders('admin'));
    expect(cancelled.status).toBe(200);
    await eventually(async () => expect((await api.http.get<{ availability: { status: string } | null }>(`/shows/${showId}`)).body.availability?.status).toBe('cancelled'));

    const stream = await SeatEventStream.open(stack.gatewayUrl, showId);
    try {
      const events = await stream.until((seen) => seen.length >= 2);
      expect(events[0]).toEqual({ event: 'snapshot', data: { showId, status: 'cancelled', seats: expect.any(Array) } });
      expect((events[0]!.data as { seats: { available: boolean }[] }).seats.filter((s) => s.available)).toEqual([]);
      expect(events[1]).toEqual({ event: 'show', data: { showId, status: 'cancelled' } });
    } finally {
      stream.close();
    }
  });

  it('gives a client that does not ask for the live stream (curl, a fuzzer) the snapshot alone, and ends', async () => {
    const { showId } = await api.publishShow(`Snapshot only ${randomUUID().slice(0, 6)}`, [{ code: 'A', rows: 1, seatsPerRow: 3, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const response = await fetch(`${stack.gatewayUrl}/shows/${showId}/seat-events`, { headers: { accept: '*/*' }, signal: AbortSignal.timeout(10_000) });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const body = await response.text();
    expect(body.match(/^event: .*$/gm)).toEqual(['event: snapshot']);
    expect(JSON.parse(/^data: (.*)$/m.exec(body)![1]!)).toEqual({ showId, status: 'on-sale', seats: expect.any(Array) });
  });

  it('answers an unknown show with a problem, not a stream', async () => {
    const response = await fetch(`${stack.gatewayUrl}/shows/${randomUUID()}/seat-events`, { headers: LIVE });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe('not-found');
  });

  it("lets the storefront's pages call the API from their origin, and no other origin", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.gatewayUrl}/orders`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
      });
    const allowed = await preflight(stack.storefront.url);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(stack.storefront.url);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    const other = await preflight('http://127.0.0.1:1');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const shows = await eventually(() => fetch(`${stack.gatewayUrl}/shows`, { headers: { origin: stack.storefront.url } }));
    expect(shows.headers.get('access-control-allow-origin')).toBe(stack.storefront.url);
  });
});
