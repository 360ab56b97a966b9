import { BoxofficeApi, contextClient, eventually, queryDatabase, runningStack, SentNotifications, WebhookReceiver, type Delivery, type OrderView } from '@boxoffice/testing';

/**
 * The way back, through the gateway on the real stack: a confirmed order is
 * refunded by its customer, and every context follows ordering's
 * ordering.order-refunded event on its own: payments gives the money back,
 * inventory puts the seats back on sale, ticketing voids the tickets,
 * notifications mails the customer and calls the webhook.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const payments = contextClient(stack, 'payments');
const ticketing = contextClient(stack, 'ticketing');
const notifications = contextClient(stack, 'notifications');
const sentNotifications = new SentNotifications(stack);
const WEBHOOK_SECRET = SentNotifications.WEBHOOK_SECRET;

async function confirmedOrder(username: string, title: string, callbackUrl?: string): Promise<{ order: OrderView; showId: string; seatIds: string[] }> {
  const { showId, seatIds } = await api.publishShow(title, [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }], { STD: 2500 });
  await api.waitUntilOnSale(showId);
  const placed = await api.placeOrder(username, { showId, seatIds: seatIds.slice(0, 2), callbackUrl });
  expect(placed.status).toBe(202);
  const order = await api.settledOrder(username, placed.body.orderId);
  expect(order.status).toBe('confirmed');
  return { order, showId, seatIds };
}

async function refund(username: string, orderId: string) {
  return api.http.post<OrderView & { code?: string }>(`/orders/${orderId}/refund`, undefined, await api.authHeaders(username));
}

async function refundedOrder(username: string, orderId: string): Promise<OrderView> {
  return eventually(async () => {
    const response = await api.order(username, orderId);
    expect(response.body.status).toBe('refunded');
    return response.body;
  });
}

async function ledgerOf(orderId: string): Promise<Record<string, number>> {
  const rows = await queryDatabase<{ kind: string; account: string; amount_minor: string }>(
    stack.databases.payments[0].primary,
    `SELECT t.kind, e.account, e.amount_minor FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id WHERE t.order_id = $1`,
    [orderId],
  );
  const balances: Record<string, number> = {};
  for (const row of rows) balances[row.account] = (balances[row.account] ?? 0) + Number(row.amount_minor);
  return balances;
}

describe('refunds', () => {
  // The stack's own receiver: the one webhook target its allow-list names.
  const receiver = new WebhookReceiver(stack);
  const callbackUrl = receiver.callbackUrl();

  it('refunds a confirmed order: money back, seats on sale again, tickets void, mail and webhook; refunding again is harmless', async () => {
    const { order, showId, seatIds } = await confirmedOrder('rita', 'Refunded', callbackUrl);
    const tickets = await eventually(async () => {
      const response = await api.http.get<{ tickets: { orderId: string; seatId: string; code: string }[] }>('/me/tickets', await api.authHeaders('rita'));
      const mine = response.body.tickets.filter((t) => t.orderId === order.orderId);
      expect(mine).toHaveLength(2);
      return mine;
    });

    const requested = await refund('rita', order.orderId);
    expect(requested.status).toBe(202);
    expect(requested.headers.get('location')).toBe(`/orders/${order.orderId}`);
    expect(['refunding', 'refunded']).toContain(requested.body.status);

    const refunded = await refundedOrder('rita', order.orderId);
    expect(refunded).toMatchObject({ settled: true, total: { amountMinor: 5000, currency: 'EUR' } });

    const payment = await payments.get<{ status: string }>(`/payments/${order.orderId}`);
    expect(payment.body.status).toBe('refunded');
    const balance = await payments.get<{ balanced: boolean }>('/ledger/balance');
    expect(balance.body.balanced).toBe(true);
    // Captured, then reversed: nothing held, nothing earned, nothing owed for this order.
    expect(await ledgerOf(order.orderId)).toEqual({ 'customer-holds': 0, 'merchant-holds': 0, 'customer-receivable': 0, 'merchant-revenue': 0 });

    await eventually(async () => {
      const seatMap = await api.http.get<{ seats: { seatId: string; available: boolean }[] }>(`/shows/${showId}/seats`);
      expect(seatMap.body.seats.map((s) => [s.seatId, s.available])).toEqual(seatIds.map((id) => [id, true]));
    });

    await eventually(async () => {
      for (const ticket of tickets) {
        const verdict = await ticketing.get<{ verdict: string }>(`/tickets/verify?code=${encodeURIComponent(ticket.code)}`);
        expect(verdict.body.verdict).toBe('void');
      }
      const listed = await api.http.get<{ tickets: { orderId: string }[] }>('/me/tickets', await api.authHeaders('rita'));
      expect(listed.body.tickets.filter((t) => t.orderId === order.orderId)).toEqual([]);
    });

    const { mail, webhook } = await sentNotifications.sent(order.orderId, 'order.refunded');
    expect(sentNotifications.mail(mail.id)).toMatch(/^To: rita@example\.test/m);
    expect(sentNotifications.mail(mail.id)).toMatch(/^Subject: Order refunded: 50\.00 EUR/m);
    const calls = (await receiver.receivedFor(order.orderId)).filter((w) => w.event === 'order.refunded');
    expect(calls).toHaveLength(1);
    expect(calls[0].headers['x-boxoffice-delivery']).toBe(webhook.id);
    expect(WebhookReceiver.isSigned(calls[0], WEBHOOK_SECRET)).toBe(true);
    expect(JSON.parse(calls[0].body)).toMatchObject({ orderId: order.orderId, seatIds: seatIds.slice(0, 2), amount: { amountMinor: 5000, currency: 'EUR' } });

    // Again: the same answer, and nothing moves a second time.
    const again = await refund('rita', order.orderId);
    expect(again.status).toBe(202);
    expect(again.body.status).toBe('refunded');
    expect((await payments.get<{ status: string }>(`/payments/${order.orderId}`)).body.status).toBe('refunded');
    expect(await ledgerOf(order.orderId)).toEqual({ 'customer-holds': 0, 'merchant-holds': 0, 'customer-receivable': 0, 'merchant-revenue': 0 });
    const deliveries = await notifications.get<Delivery[]>(`/orders/${order.orderId}/deliveries`);
    expect(deliveries.body.filter((d) => d.event === 'order.refunded')).toHaveLength(2);

    // The seats can be bought again, by someone else.
    const resold = await api.placeOrder('sam', { showId, seatIds: seatIds.slice(0, 2) });
    expect((await api.settledOrder('sam', resold.body.orderId)).status).toBe('confirmed');
  });

  it('lets an admin refund any order', async () => {
    const { order } = await confirmedOrder('ursula', 'Refunded by the house');
    const requested = await refund('admin', order.orderId);
    expect(requested.status).toBe(202);
    expect((await refundedOrder('ursula', order.orderId)).status).toBe('refunded');
  });

  it("refuses to refund a rejected order (409) and someone else's order (404), changing nothing", async () => {
    const { showId, seatIds } = await api.publishShow('Not refundable', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
    await api.waitUntilOnSale(showId);
    const placed = await api.placeOrder('decline-victor', { showId, seatIds: [seatIds[0]] });
    const rejected = await api.settledOrder('decline-victor', placed.body.orderId);
    expect(rejected.status).toBe('rejected');
    const refusal = await refund('decline-victor', rejected.orderId);
    expect(refusal.status).toBe(409);
    expect(refusal.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refusal.body.code).toBe('order-not-refundable');
    expect((await api.order('decline-victor', rejected.orderId)).body.status).toBe('rejected');

    const bought = await api.placeOrder('walter', { showId, seatIds: [seatIds[1]] });
    const theirs = await api.settledOrder('walter', bought.body.orderId);
    expect(theirs.status).toBe('confirmed');
    const notMine = await refund('mallory', theirs.orderId);
    expect(notMine.status).toBe(404);
    expect(notMine.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await api.order('walter', theirs.orderId)).body.status).toBe('confirmed');
    expect((await payments.get<{ status: string }>(`/payments/${theirs.orderId}`)).body.status).toBe('captured');
  });
});
