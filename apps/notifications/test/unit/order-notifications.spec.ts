import { notificationsFor } from '../../src/domain/delivery/order-notifications.js';
import { formatMoney, type OrderOutcome } from '../../src/domain/order/order-outcome.js';
import { WebhookAllowList } from '../../src/domain/webhook/webhook-allow-list.value-object.js';

const allowList = (() => {
  const parsed = WebhookAllowList.parse('127.0.0.1');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
})();

const confirmed: OrderOutcome = {
  kind: 'confirmed',
  orderId: '01960000-0000-7000-8000-000000000010',
  customerEmail: 'ada@example.com',
  showId: '01960000-0000-7000-8000-000000000002',
  seats: [
    { seatId: 'A-1-1', price: { amountMinor: 4500, currency: 'EUR' } },
    { seatId: 'A-1-2', price: { amountMinor: 4500, currency: 'EUR' } },
  ],
  total: { amountMinor: 9000, currency: 'EUR' },
  callbackUrl: 'http://127.0.0.1:8080/hook',
};

const rejected: OrderOutcome = {
  kind: 'rejected',
  orderId: confirmed.orderId,
  customerEmail: 'ada@example.com',
  showId: confirmed.showId,
  reason: 'seats-unavailable',
  callbackUrl: null,
};

describe('notificationsFor', () => {
  it('mails a confirmed order with show, seats and total, and calls its webhook', () => {
    const [mail, webhook, ...rest] = notificationsFor(confirmed, allowList);
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ channel: 'mail', event: 'order.confirmed', target: 'ada@example.com', status: 'pending' });
    if (mail.channel !== 'mail') throw new Error('mail first');
    expect(mail.payload.subject).toBe(`Order confirmed: 2 seats (A-1-1, A-1-2) for show ${confirmed.showId}, total 90.00 EUR`);
    expect(mail.payload.text).toContain('A-1-2  45.00 EUR');
    expect(webhook).toMatchObject({ channel: 'webhook', status: 'pending', target: 'http://127.0.0.1:8080/hook' });
    expect(webhook.payload).toEqual({ event: 'order.confirmed', orderId: confirmed.orderId, showId: confirmed.showId, seats: confirmed.seats, total: { amountMinor: 9000, currency: 'EUR' } });
  });

  it('mails a rejected order with its reason, and sends no webhook without a callbackUrl', () => {
    const planned = notificationsFor(rejected, allowList);
    expect(planned).toHaveLength(1);
    const [mail] = planned;
    if (mail.channel !== 'mail') throw new Error('mail only');
    expect(mail.event).toBe('order.rejected');
    expect(mail.payload.subject).toBe('Order not completed: seats-unavailable');
    expect(mail.payload.text).toContain('Reason: seats-unavailable');
  });

  it('mails a refunded order with the amount given back, and calls its webhook with event order.refunded', () => {
    const refunded: OrderOutcome = {
      kind: 'refunded',
      orderId: confirmed.orderId,
      customerEmail: 'ada@example.com',
      showId: confirmed.showId,
      seatIds: ['A-1-1', 'A-1-2'],
      amount: { amountMinor: 9000, currency: 'EUR' },
      callbackUrl: 'http://127.0.0.1:8080/hook',
      reason: 'requested',
    };
    const [mail, webhook, ...rest] = notificationsFor(refunded, allowList);
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ channel: 'mail', event: 'order.refunded', target: 'ada@example.com', status: 'pending' });
    if (mail.channel !== 'mail') throw new Error('mail first');
    expect(mail.payload.subject).toBe(`Order refunded: 90.00 EUR for show ${confirmed.showId}`);
    expect(mail.payload.text).toContain('Seats: A-1-1, A-1-2');
    expect(webhook).toMatchObject({ channel: 'webhook', event: 'order.refunded', status: 'pending' });
    expect(webhook.payload).toEqual({ event: 'order.refunded', orderId: refunded.orderId, showId: refunded.showId, seatIds: ['A-1-1', 'A-1-2'], amount: { amountMinor: 9000, currency: 'EUR' }, reason: 'requested' });
  });

  it('tells the customer when the show was cancelled: a mail saying so, and the reason in the webhook', () => {
    const cancelled: OrderOutcome = {
      kind: 'refunded',
      orderId: confirmed.orderId,
      customerEmail: 'ada@example.com',
      showId: confirmed.showId,
      seatIds: ['A-1-1'],
      amount: { amountMinor: 4500, currency: 'EUR' },
      callbackUrl: 'http://127.0.0.1:8080/hook',
      reason: 'show-cancelled',
    };
    const [mail, webhook] = notificationsFor(cancelled, allowList);
    if (mail.channel !== 'mail') throw new Error('mail first');
    expect(mail.event).toBe('order.refunded');
    expect(mail.payload.subject).toBe(`Show cancelled: order refunded, 45.00 EUR for show ${confirmed.showId}`);
    expect(mail.payload.text).toContain('the show was cancelled');
    expect(webhook.payload).toMatchObject({ event: 'order.refunded', reason: 'show-cancelled' });
  });

  it('records a webhook to a host that is not allowed as rejected, with the reason', () => {
    const [, webhook] = notificationsFor({ ...rejected, callbackUrl: 'http://127.0.0.2:9/hook' }, allowList);
    expect(webhook).toMatchObject({ channel: 'webhook', status: 'rejected', rejection: 'host 127.0.0.2:9 is not on WEBHOOK_ALLOWED_HOSTS' });
    expect(webhook.payload).toEqual({ event: 'order.rejected', orderId: rejected.orderId, showId: rejected.showId, reason: 'seats-unavailable' });
  });
});

describe('formatMoney', () => {
  it('uses the currency’s own decimals', () => {
    expect(formatMoney({ amountMinor: 4505, currency: 'EUR' })).toBe('45.05 EUR');
    expect(formatMoney({ amountMinor: 4500, currency: 'JPY' })).toBe('4500 JPY');
  });
});
