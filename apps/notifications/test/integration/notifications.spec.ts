import { jest } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { OrderConfirmedV1, OrderRejectedV1, type Envelope, type EventContract, type PayloadOf } from '@boxoffice/contracts';
import { messageFor } from '@boxoffice/messaging';
import { contextClient, eventually, KafkaProbe, runningStack, WebhookReceiver, type ReceivedWebhook, type RunningStackInfo } from '@boxoffice/testing';

/**
 * Notifications on the real stack: order outcomes go in through Kafka, as
 * ordering publishes them; mail comes out in the local mailbox folder and
 * webhooks reach the stack's own receiver, the one target its allow-list names.
 */
// Messages cross the broker and retries wait on backoff: more than jest's default 5 s per test.
jest.setTimeout(60_000);

const stack = runningStack() as RunningStackInfo & { stateDir: string };
const kafka = new KafkaProbe(stack.kafka.brokers);
const notifications = contextClient(stack, 'notifications');
const mailbox = join(stack.stateDir, 'mailbox');
/** The local stack's development secret (tools/stack/app-env.ts); it guards nothing but loopback. */
const WEBHOOK_SECRET = 'local-development-webhook-secret-not-for-production';
const GROUP = 'notifications';

interface Delivery {
  id: string;
  channel: 'mail' | 'webhook';
  event: string;
  target: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

/** A host that is not on the allow-list, listening on loopback: it must never be called. */
class Outsider {
  readonly received: string[] = [];
  private readonly server: Server = createServer((request, response) => {
    this.received.push(request.url ?? '');
    response.end();
  });

  async listen(host: string): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    return `http://${host}:${(this.server.address() as AddressInfo).port}/hooks/orders`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const receiver = new WebhookReceiver(stack);

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

function confirmed(callbackUrl: string | null): PayloadOf<typeof OrderConfirmedV1> {
  return {
    orderId: uuidv7(),
    customerId: `customer-${uuidv7()}`,
    customerEmail: 'ada@example.com',
    showId: uuidv7(),
    seats: [
      { seatId: 'A-1-1', price: eur(4500) },
      { seatId: 'A-1-2', price: eur(4500) },
    ],
    total: eur(9000),
    callbackUrl,
  };
}

function envelopeOf<C extends EventContract>(contract: C, payload: PayloadOf<C> & { orderId: string }): Envelope {
  return messageFor(contract, payload, { id: payload.orderId, version: 4 }, { service: 'ordering', instance: 'ordering-test' }, { correlationId: payload.orderId, causationId: null });
}

async function publish(contract: EventContract, envelope: Envelope): Promise<{ partition: number; offset: string }> {
  const [sent] = await kafka.produce(contract.topic, [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }]);
  return sent;
}

async function consumedPast(topic: string, sent: { partition: number; offset: string }): Promise<void> {
  await eventually(async () => expect(await kafka.committedOffset(GROUP, topic, sent.partition)).toBeGreaterThan(BigInt(sent.offset)));
}

async function deliveries(orderId: string): Promise<Delivery[]> {
  const response = await notifications.get<Delivery[]>(`/orders/${orderId}/deliveries`);
  expect(response.status).toBe(200);
  return response.body;
}

/** Waits until every delivery of the order has left `pending`. */
async function settled(orderId: string, count: number): Promise<Record<'mail' | 'webhook', Delivery>> {
  return eventually(async () => {
    const found = await deliveries(orderId);
    expect(found).toHaveLength(count);
    for (const delivery of found) expect(delivery.status).not.toBe('pending');
    return Object.fromEntries(found.map((d) => [d.channel, d])) as Record<'mail' | 'webhook', Delivery>;
  });
}

/** Mail files of one delivery; headers unfolded, so long subjects read as one line. */
function mailsOf(deliveryId: string): string[] {
  if (!existsSync(mailbox)) return [];
  return readdirSync(mailbox)
    .filter((file) => file.startsWith(`${deliveryId}-`) && file.endsWith('.eml'))
    .map((file) => readFileSync(join(mailbox, file), 'utf8').replace(/\r?\n(?=[ \t])/g, ''));
}

function expectSigned(webhook: ReceivedWebhook, deliveryId: string): void {
  const timestamp = String(webhook.headers['x-boxoffice-timestamp']);
  expect(timestamp).toMatch(/^\d+$/);
  expect(webhook.headers['x-boxoffice-delivery']).toBe(deliveryId);
  expect(webhook.headers['content-type']).toBe('application/json');
  const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${webhook.body}`).digest('hex')}`;
  expect(webhook.headers['x-boxoffice-signature']).toBe(expected);
}

describe('notifications: a confirmed order', () => {
  let order: PayloadOf<typeof OrderConfirmedV1>;
  let incoming: Envelope;
  let sent: Record<'mail' | 'webhook', Delivery>;

  beforeAll(async () => {
    order = confirmed(receiver.callbackUrl());
    incoming = envelopeOf(OrderConfirmedV1, order);
    await publish(OrderConfirmedV1, incoming);
    sent = await settled(order.orderId, 2);
  });

  it('mails the customer what was bought: show, seats and total', () => {
    expect(sent.mail).toMatchObject({ status: 'sent', attempts: 1, target: 'ada@example.com', event: 'order.confirmed' });
    const [mail, ...more] = mailsOf(sent.mail.id);
    expect(more).toEqual([]);
    expect(mail).toMatch(/^To: ada@example\.com$/m);
    expect(mail).toContain(`Subject: Order confirmed: 2 seats (A-1-1, A-1-2) for show ${order.showId}, total 90.00 EUR`);
    expect(mail).toContain(`X-Boxoffice-Order: ${order.orderId}`);
    expect(mail).toContain('A-1-2  45.00 EUR');
  });

  it('calls the client’s webhook exactly once, signed, with the delivery id', async () => {
    expect(sent.webhook).toMatchObject({ status: 'sent', attempts: 1, event: 'order.confirmed' });
    const received = await receiver.receivedFor(order.orderId);
    expect(received).toHaveLength(1);
    const [webhook] = received;
    expectSigned(webhook, sent.webhook.id);
    expect(JSON.parse(webhook.body)).toEqual({ event: 'order.confirmed', orderId: order.orderId, showId: order.showId, seats: order.seats, total: eur(9000) });
  });

  it('sends nothing again when the same event is delivered again', async () => {
    const again = await publish(OrderConfirmedV1, incoming);
    await consumedPast(OrderConfirmedV1.topic, again);
    expect(await deliveries(order.orderId)).toEqual(expect.arrayContaining([expect.objectContaining({ id: sent.mail.id, status: 'sent', attempts: 1 }), expect.objectContaining({ id: sent.webhook.id, status: 'sent', attempts: 1 })]));
    expect(await deliveries(order.orderId)).toHaveLength(2);
    expect(await receiver.receivedFor(order.orderId)).toHaveLength(1);
    expect(mailsOf(sent.mail.id)).toHaveLength(1);
  });

  it('sends nothing again for a second event about the same outcome (another message id)', async () => {
    const second = await publish(OrderConfirmedV1, envelopeOf(OrderConfirmedV1, order));
    await consumedPast(OrderConfirmedV1.topic, second);
    expect((await deliveries(order.orderId)).map((d) => [d.id, d.attempts])).toEqual(expect.arrayContaining([[sent.mail.id, 1], [sent.webhook.id, 1]]));
    expect(await deliveries(order.orderId)).toHaveLength(2);
    expect(await receiver.receivedFor(order.orderId)).toHaveLength(1);
  });
});

describe('notifications: webhook retries', () => {
  it('retries a receiver that fails, with the same delivery id, until it answers 2xx', async () => {
    const order = confirmed(receiver.callbackUrl('/hooks/orders', { fail: 2 }));
    await publish(OrderConfirmedV1, envelopeOf(OrderConfirmedV1, order));
    const { webhook } = await settled(order.orderId, 2);
    expect(webhook).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    const received = await receiver.receivedFor(order.orderId);
    expect(received.map((r) => r.status)).toEqual([503, 503, 204]);
    for (const request of received) expectSigned(request, webhook.id);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
  });
});

describe('notifications: webhook allow-list', () => {
  it('records a callbackUrl on a host that is not allowed as rejected, and sends it nothing', async () => {
    // 127.0.0.2 is loopback, but no allow-list of the local stacks names it.
    const outsider = new Outsider();
    const order = confirmed(await outsider.listen('127.0.0.2'));
    try {
      await publish(OrderConfirmedV1, envelopeOf(OrderConfirmedV1, order));
      const { mail, webhook } = await settled(order.orderId, 2);
      expect(webhook).toMatchObject({ status: 'rejected', attempts: 0, target: order.callbackUrl });
      expect(webhook.lastError).toMatch(/127\.0\.0\.2.*not on WEBHOOK_ALLOWED_HOSTS/);
      expect(mail.status).toBe('sent');
      expect(outsider.received).toEqual([]);
    } finally {
      await outsider.close();
    }
  });
});

describe('notifications: a rejected order', () => {
  it('mails the reason and tells the client’s webhook', async () => {
    const order: PayloadOf<typeof OrderRejectedV1> = {
      orderId: uuidv7(),
      customerId: `customer-${uuidv7()}`,
      customerEmail: 'grace@example.com',
      showId: uuidv7(),
      reason: 'payment declined',
      callbackUrl: receiver.callbackUrl(),
    };
    await publish(OrderRejectedV1, envelopeOf(OrderRejectedV1, order));
    const { mail, webhook } = await settled(order.orderId, 2);
    expect(mail).toMatchObject({ status: 'sent', event: 'order.rejected', target: 'grace@example.com' });
    const [eml] = mailsOf(mail.id);
    expect(eml).toContain('Subject: Order not completed: payment declined');
    expect(eml).toContain('Reason: payment declined');
    expect(webhook.status).toBe('sent');
    const received = await receiver.receivedFor(order.orderId);
    expect(received).toHaveLength(1);
    expectSigned(received[0], webhook.id);
    expect(JSON.parse(received[0].body)).toEqual({ event: 'order.rejected', orderId: order.orderId, showId: order.showId, reason: 'payment declined' });
  });
});

describe('notifications: poison messages', () => {
  it('dead-letters a poison message and keeps consuming', async () => {
    const [poison] = await kafka.produce(OrderRejectedV1.topic, [{ key: 'poison', value: 'this is not an envelope' }]);
    await consumedPast(OrderRejectedV1.topic, poison);
    const deadLetters = await eventually(async () => {
      const found = (await kafka.readAll('notifications.dead-letter.v1')).filter(
        (m) => m.headers['boxoffice-dlq-topic'] === OrderRejectedV1.topic && m.headers['boxoffice-dlq-offset'] === poison.offset && m.headers['boxoffice-dlq-partition'] === String(poison.partition),
      );
      expect(found).toHaveLength(1);
      return found;
    });
    expect(deadLetters[0].value).toBe('this is not an envelope');
    expect(deadLetters[0].headers['boxoffice-dlq-reason']).toMatch(/invalid message/);

    const next = confirmed(null);
    await publish(OrderConfirmedV1, envelopeOf(OrderConfirmedV1, next));
    const { mail } = await settled(next.orderId, 1);
    expect(mail.status).toBe('sent');
  });
});
