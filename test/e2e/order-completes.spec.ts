import { BoxofficeApi, contextClient, eventually, runningStack, SentNotifications, WebhookReceiver } from '@boxoffice/testing';

/**
 * An order from the buyer's first click to everything that follows its
 * confirmation or rejection: tickets (event-based), mail (fire-and-forget)
 * and the client's webhook (callback), each through the real stack.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const ticketing = contextClient(stack, 'ticketing');
const sentNotifications = new SentNotifications(stack);
const WEBHOOK_SECRET = SentNotifications.WEBHOOK_SECRET;

describe('an order completes', () => {
  // The stack's own receiver: the one webhook target its allow-list names.
  const receiver = new WebhookReceiver(stack);
  const callbackUrl = receiver.callbackUrl();

  it('confirmed: tickets issued, mail in the mailbox, the webhook called once with a valid signature', async () => {
    const { showId, seatIds } = await api.publishShow('Everything', [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }], { STD: 3000 });
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('olivia', { showId, seatIds: seatIds.slice(0, 2), callbackUrl });
    const order = await api.settledOrder('olivia', placed.body.orderId);
    expect(order.status).toBe('confirmed');

    const tickets = await eventually(async () => {
      const response = await api.http.get<{ tickets: { orderId: string; seatId: string; code: string }[] }>('/me/tickets', await api.authHeaders('olivia'));
      const mine = response.body.tickets.filter((t) => t.orderId === order.orderId);
      expect(mine.map((t) => t.seatId).sort()).toEqual(seatIds.slice(0, 2));
      return mine;
    });
    // The door reads a replica of the show's shard, which may replay the tickets a moment later.
    for (const ticket of tickets) {
      await eventually(async () => {
        const verdict = await ticketing.get<{ verdict: string }>(`/tickets/verify?code=${encodeURIComponent(ticket.code)}`);
        expect(verdict.body.verdict).toBe('valid');
      });
    }

    const { mail, webhook } = await sentNotifications.sent(order.orderId, 'order.confirmed');
    expect(sentNotifications.mail(mail.id)).toMatch(/^To: olivia@example\.test/m);
    expect(sentNotifications.mail(mail.id)).toMatch(/^Subject: .*confirmed/im);

    const calls = await receiver.receivedFor(order.orderId);
    expect(calls).toHaveLength(1);
    expect(calls[0].headers['x-boxoffice-delivery']).toBe(webhook.id);
    expect(WebhookReceiver.isSigned(calls[0], WEBHOOK_SECRET)).toBe(true);
    expect(JSON.parse(calls[0].body)).toMatchObject({ event: 'order.confirmed', orderId: order.orderId, total: { amountMinor: 6000, currency: 'EUR' } });
  });

  it('rejected: no tickets, the reason by mail and by webhook', async () => {
    const { showId, seatIds } = await api.publishShow('Declined everything', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('decline-peter', { showId, seatIds: [seatIds[0]], callbackUrl });
    const order = await api.settledOrder('decline-peter', placed.body.orderId);
    expect(order.status).toBe('rejected');

    const { mail } = await sentNotifications.sent(order.orderId, 'order.rejected');
    expect(sentNotifications.mail(mail.id)).toMatch(/payment-declined/);
    const calls = await receiver.receivedFor(order.orderId);
    expect(calls).toHaveLength(1);
    expect(WebhookReceiver.isSigned(calls[0], WEBHOOK_SECRET)).toBe(true);
    expect(JSON.parse(calls[0].body)).toMatchObject({ event: 'order.rejected', reason: expect.stringMatching(/^payment-declined/) });

    const tickets = await api.http.get<{ tickets: unknown[] }>('/me/tickets', await api.authHeaders('decline-peter'));
    expect(tickets.body.tickets).toEqual([]);
  });
});
