import { randomUUID } from 'node:crypto';
import { BoxofficeApi, eventually, runningStack } from '@boxoffice/testing';

/** The checkout saga through the public API, on the real stack. */
const api = new BoxofficeApi(runningStack().gatewayUrl);

async function smallShow(title: string, seats = 10): Promise<{ showId: string; seatIds: string[] }> {
  const show = await api.publishShow(title, [{ code: 'A', rows: 1, seatsPerRow: seats, priceTier: 'STD' }], { STD: 4500 });
  await api.waitUntilOnSale(show.showId);
  return show;
}

describe('checkout', () => {
  it('accepts an order with 202 and a Location to poll', async () => {
    const { showId, seatIds } = await smallShow('Accepted');
    const response = await api.placeOrder('carol', { showId, seatIds: seatIds.slice(0, 2) });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/orders/${response.body.orderId}`);
    expect(response.body).toMatchObject({ customerId: 'carol', showId, seatIds: seatIds.slice(0, 2), settled: false });
  });

  it('rejects an order for seats the show does not have, before any payment', async () => {
    const { showId } = await smallShow('Unknown seats');
    const placed = await api.placeOrder('dave', { showId, seatIds: ['Z-9-9'] });
    const order = await api.settledOrder('dave', placed.body.orderId);
    expect(order).toMatchObject({ status: 'rejected', rejectionReason: 'unknown-seats', total: null });
  });

  it('accepts an order for a show that is not on sale, then rejects it; asked to wait, says so in one answer (ADR 0043)', async () => {
    const placed = await api.placeOrder('erin', { showId: randomUUID(), seatIds: ['A-1-1'] });
    expect(placed.status).toBe(202);
    const order = await api.settledOrder('erin', placed.body.orderId);
    expect(order).toMatchObject({ status: 'rejected', rejectionReason: 'show-not-on-sale', total: null });

    const waited = await api.placeOrder('erin', { showId: randomUUID(), seatIds: ['A-1-1'] }, randomUUID(), { waitSeconds: 10 });
    expect(waited.status).toBe(201);
    expect(waited.body).toMatchObject({ status: 'rejected', rejectionReason: 'show-not-on-sale', settled: true });
  });

  describe('idempotency', () => {
    it('makes one order when the same Idempotency-Key is posted twice', async () => {
      const { showId, seatIds } = await smallShow('Twice');
      const key = randomUUID();
      const first = await api.placeOrder('frank', { showId, seatIds: [seatIds[0]] }, key);
      const second = await api.placeOrder('frank', { showId, seatIds: [seatIds[0]] }, key);
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.body.orderId).toBe(first.body.orderId);
    });

    it('makes one order when the same Idempotency-Key is posted concurrently', async () => {
      const { showId, seatIds } = await smallShow('Concurrently');
      const key = randomUUID();
      const responses = await Promise.all(Array.from({ length: 8 }, () => api.placeOrder('grace', { showId, seatIds: [seatIds[1]] }, key)));
      expect(responses.map((r) => r.status)).toEqual(Array(8).fill(202));
      expect(new Set(responses.map((r) => r.body.orderId)).size).toBe(1);
    });

    it('refuses the same key for a different order with 409', async () => {
      const { showId, seatIds } = await smallShow('Different');
      const key = randomUUID();
      await api.placeOrder('heidi', { showId, seatIds: [seatIds[0]] }, key);
      const other = await api.placeOrder('heidi', { showId, seatIds: [seatIds[1]] }, key);
      expect(other.status).toBe(409);
      expect(other.body).toMatchObject({ code: 'idempotency-key-reused' });
    });

    it('keeps customers apart: the same key from two customers makes two orders', async () => {
      const { showId, seatIds } = await smallShow('Two customers');
      const key = randomUUID();
      const a = await api.placeOrder('ivan', { showId, seatIds: [seatIds[0]] }, key);
      const b = await api.placeOrder('judy', { showId, seatIds: [seatIds[1]] }, key);
      expect(a.body.orderId).not.toBe(b.body.orderId);
    });
  });

  it('shows a customer only their own orders', async () => {
    const { showId, seatIds } = await smallShow('Private');
    const placed = await api.placeOrder('mallory-target', { showId, seatIds: [seatIds[0]] });
    const peek = await api.order('mallory', placed.body.orderId);
    expect(peek.status).toBe(404);
    expect((await api.order('admin', placed.body.orderId)).status).toBe(200);
  });

  it('stops selling a cancelled show', async () => {
    const { showId, seatIds } = await smallShow('Called off');
    const admin = await api.authHeaders('admin');
    const cancelled = await api.http.post<{ id: string; status: string; version: number }>(`/admin/shows/${showId}/cancel`, undefined, admin);
    expect(cancelled.status).toBe(200);
    // Scheduled at version 1, published at 2, cancelled at 3; cancelling again changes nothing.
    expect(cancelled.body).toMatchObject({ id: showId, status: 'cancelled', version: 3 });
    const again = await api.http.post(`/admin/shows/${showId}/cancel`, undefined, admin);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(cancelled.body);
    const listed = await api.http.get<{ id: string }[]>('/shows');
    expect(listed.body.map((s) => s.id)).not.toContain(showId);
    // The cancellation reaches inventory asynchronously: orders placed from then on are refused.
    await eventually(async () => {
      const placed = await api.placeOrder('quinn', { showId, seatIds: [seatIds[0]] });
      const order = await api.settledOrder('quinn', placed.body.orderId);
      expect(order).toMatchObject({ status: 'rejected', rejectionReason: 'show-not-on-sale' });
    });
  });
});
