import { BoxofficeApi, contextClient, eventually, runningStack, SentNotifications, WebhookReceiver } from '@boxoffice/testing';

/**
 * A customer's callbackUrl aimed at the system itself, on the real stack:
 * every service's port (its most harmful route where it has one: catalog's
 * show cancel, ordering's refund), the broker's and Postgres's, each in every
 * spelling of the loopback that the allow-list's URL parser normalises, and
 * through a name that resolves to it. The test stack's allow-list admits the
 * whole loopback on purpose (tools/test-runner/run-tests.ts), so what stops
 * these is the denied addresses alone (docs/adr/0018-webhooks-never-reach-the-system.md).
 * None is ever delivered: the show is still on sale, the other customer's
 * order still paid, every delivery recorded as refused with the reason; a
 * webhook to the stack's own receiver still arrives, signed.
 */
const stack = runningStack();
const api = new BoxofficeApi(stack.gatewayUrl);
const notifications = contextClient(stack, 'notifications');
const payments = contextClient(stack, 'payments');
const receiver = new WebhookReceiver(stack);
const sentNotifications = new SentNotifications(stack);

/**
 * Every way the test writes the local host in a URL: 127.0.0.1; `localhost`, a name that
 * resolves to it; 0.0.0.0, which Linux connects to the local host.
 * The order schema admits only a host name or a dotted IPv4 address (ADR 0020), so the
 * other spellings are refused at the edge already; the sender's own check of them, on the
 * address it connects to, is proved in apps/notifications/test/integration/http-webhook-sender.spec.ts.
 */
const ACCEPTED_AT_THE_EDGE = ['127.0.0.1', 'localhost', '0.0.0.0'];
const REFUSED_AT_THE_EDGE = ['2130706433', '0x7f.1', '127.1', '[::ffff:127.0.0.1]'];
const LOOPBACK_SPELLINGS = [...ACCEPTED_AT_THE_EDGE, ...REFUSED_AT_THE_EDGE];

interface Delivery {
  channel: 'mail' | 'webhook';
  target: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

const portOf = (url: string) => Number(new URL(url).port);

describe('webhooks never reach the system itself', () => {
  let targetShowId: string;
  let victimOrderId: string;
  let stageShowId: string;
  let stageSeats: string[];

  beforeAll(async () => {
    ({ showId: targetShowId } = await api.publishShow('Must stay on sale', [{ code: 'A', rows: 1, seatsPerRow: 4, priceTier: 'STD' }]));
    const stage = await api.publishShow('Where hostile orders are placed', [{ code: 'A', rows: 8, seatsPerRow: 10, priceTier: 'STD' }]);
    ({ showId: stageShowId, seatIds: stageSeats } = stage);
    await api.waitUntilOnSale(targetShowId);
    await api.waitUntilOnSale(stageShowId);
    const victim = await api.placeOrder('victor', { showId: targetShowId, seatIds: ['A-1-1'] });
    const victimOrder = await api.settledOrder('victor', victim.body.orderId);
    expect(victimOrder.status).toBe('confirmed');
    victimOrderId = victimOrder.orderId;
  });

  /** The stack's own listeners, each with the route a webhook there would hit. */
  function internalTargets(): { name: string; port: number; path: string }[] {
    const app = (name: string) => stack.apps[name][0];
    return [
      { name: 'catalog: cancel a show', port: app('catalog').port, path: `/shows/${targetShowId}/cancel` },
      { name: "ordering: refund another customer's order", port: app('ordering').port, path: `/orders/${victimOrderId}/refund` },
      { name: 'payments', port: app('payments').port, path: `/payments/${victimOrderId}` },
      { name: 'inventory', port: app('inventory').port, path: `/shows/${targetShowId}/seats` },
      { name: 'ticketing', port: app('ticketing').port, path: '/tickets/verify' },
      { name: 'notifications', port: app('notifications').port, path: `/orders/${victimOrderId}/deliveries` },
      { name: 'gateway', port: app('gateway').port, path: `/admin/shows/${targetShowId}/cancel` },
      { name: 'the Kafka broker', port: Number(stack.kafka.brokers[0].split(':')[1]), path: '/' },
      { name: 'Postgres', port: portOf(stack.databases.catalog[0].primary), path: '/' },
    ];
  }

  it('refuses a callbackUrl on every port of the stack, in every spelling of the loopback, and delivers none of them', async () => {
    const hostile = internalTargets().flatMap((target) => LOOPBACK_SPELLINGS.map((host) => ({ ...target, host, callbackUrl: `http://${host}:${target.port}${target.path}` })));
    expect(hostile.length).toBeLessThanOrEqual(stageSeats.length);

    // Declined customers: each order is rejected at the payment, and its webhook (order.rejected) goes to the callbackUrl.
    const answered = await Promise.all(
      hostile.map(async (target, i) => {
        const response = await api.placeOrder('decline-mallory', { showId: stageShowId, seatIds: [stageSeats[i]], callbackUrl: target.callbackUrl });
        const acceptable = ACCEPTED_AT_THE_EDGE.includes(target.host) ? 202 : 400;
        expect([target.callbackUrl, response.status]).toEqual([target.callbackUrl, acceptable]);
        return { ...target, orderId: response.status === 202 ? (response.body.orderId as string) : undefined };
      }),
    );
    const placed = answered.filter((order): order is typeof order & { orderId: string } => order.orderId !== undefined);
    expect(placed).toHaveLength(internalTargets().length * ACCEPTED_AT_THE_EDGE.length);

    for (const order of placed) {
      const webhook = await eventually(
        async () => {
          const deliveries = await notifications.get<Delivery[]>(`/orders/${order.orderId}/deliveries`);
          const found = deliveries.body.find((d) => d.channel === 'webhook');
          if (!found || found.status === 'pending') throw new Error(`the webhook of ${order.callbackUrl} (${order.name}) is ${found?.status ?? 'not recorded yet'}`);
          return found;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      expect({ target: webhook.target, status: webhook.status, attempts: webhook.attempts }).toEqual({ target: order.callbackUrl, status: 'rejected', attempts: 0 });
      // 0.0.0.0/8 is denied whatever the setting says; every other address by the stack's own ports.
      expect(webhook.lastError).toContain(order.host === '0.0.0.0' ? `0.0.0.0:${order.port} is denied to webhooks (0.0.0.0/8, always denied)` : `:${order.port} is denied to webhooks (*:${order.port}`);
    }

    // Nothing reached the routes: the show is on sale, the other customer's order is paid and not refunded.
    const show = await api.http.get<{ status: string; availability: unknown }>(`/shows/${targetShowId}`);
    expect(show.body).toMatchObject({ status: 'published', availability: expect.anything() });
    const victim = await api.order('victor', victimOrderId);
    expect(victim.body.status).toBe('confirmed');
    expect((await payments.get<{ status: string }>(`/payments/${victimOrderId}`)).body.status).toBe('captured');
  });

  it('still delivers to the stack’s own receiver, signed', async () => {
    const placed = await api.placeOrder('lena', { showId: stageShowId, seatIds: [stageSeats.at(-1)!], callbackUrl: receiver.callbackUrl('/hooks/lena') });
    const order = await api.settledOrder('lena', placed.body.orderId);
    expect(order.status).toBe('confirmed');
    const { webhook } = await sentNotifications.sent(order.orderId, 'order.confirmed');
    const [call, ...more] = await receiver.receivedFor(order.orderId);
    expect(more).toEqual([]);
    expect(call).toMatchObject({ path: '/hooks/lena', deliveryId: webhook.id, event: 'order.confirmed', status: 204 });
    expect(WebhookReceiver.isSigned(call, SentNotifications.WEBHOOK_SECRET)).toBe(true);
  });
});
