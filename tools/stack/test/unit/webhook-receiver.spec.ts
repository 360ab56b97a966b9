import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeniedAddresses } from '../../../../apps/notifications/src/domain/webhook/denied-addresses.value-object.js';
import { WebhookAllowList } from '../../../../apps/notifications/src/domain/webhook/webhook-allow-list.value-object.js';
import { resolveOptions } from '../../options.js';
import { requiredPorts, webhookReceiverPort, webhookTargets } from '../../port-layout.js';
import { webhookReceiver, type ReceivedWebhook } from '../../webhook-receiver.js';

const SECRET = 'unit-test-webhook-secret';

function signed(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
  return { 'content-type': 'application/json', 'x-boxoffice-timestamp': String(timestamp), 'x-boxoffice-signature': signature };
}

describe('the local stack’s webhook receiver', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = webhookReceiver({ secret: SECRET, log: () => undefined });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const list = async (query = ''): Promise<ReceivedWebhook[]> => (await fetch(`${url}/webhooks${query}`)).json() as Promise<ReceivedWebhook[]>;

  it('records what it is sent, checks the signature, and lists it by order id', async () => {
    const body = JSON.stringify({ event: 'order.confirmed', orderId: 'order-1' });
    const good = await fetch(`${url}/hooks/alice`, { method: 'POST', headers: { ...signed(body), 'x-boxoffice-delivery': 'd-1' }, body });
    expect(good.status).toBe(204);
    const forged = JSON.stringify({ event: 'order.confirmed', orderId: 'order-2' });
    await fetch(`${url}/hooks/alice`, { method: 'POST', headers: { ...signed(body), 'x-boxoffice-delivery': 'd-2' }, body: forged });
    const stale = JSON.stringify({ event: 'order.rejected', orderId: 'order-3' });
    await fetch(`${url}/hooks/bob`, { method: 'POST', headers: signed(stale, Math.floor(Date.now() / 1000) - 3600), body: stale });

    expect(await list('?orderId=order-1')).toEqual([expect.objectContaining({ path: '/hooks/alice', deliveryId: 'd-1', event: 'order.confirmed', body, signatureValid: true, status: 204 })]);
    expect((await list('?orderId=order-2'))[0].signatureValid).toBe(false);
    expect((await list('?orderId=order-3'))[0].signatureValid).toBe(false);
    expect((await list()).map((w) => w.orderId)).toEqual(['order-1', 'order-2', 'order-3']);
  });

  it('accepts a webhook whose signature list holds one made with its secret: the sender mid-rollover signs with two', async () => {
    const body = JSON.stringify({ event: 'order.confirmed', orderId: 'order-5' });
    const timestamp = Math.floor(Date.now() / 1000);
    const other = `sha256=${createHmac('sha256', 'a-secret-this-receiver-does-not-hold').update(`${timestamp}.${body}`).digest('hex')}`;
    const ours = signed(body, timestamp)['x-boxoffice-signature'];
    for (const [orderId, header] of [['order-5', `${other}, ${ours}`], ['order-6', `${ours},${other}`], ['order-7', `${other}, ${other}`]] as const) {
      const sent = body.replace('order-5', orderId);
      const oursFor = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${sent}`).digest('hex')}`;
      await fetch(`${url}/hooks/rollover`, { method: 'POST', headers: { ...signed(sent, timestamp), 'x-boxoffice-signature': header.replace(ours, oursFor) }, body: sent });
    }
    expect((await list('?orderId=order-5'))[0].signatureValid).toBe(true);
    expect((await list('?orderId=order-6'))[0].signatureValid).toBe(true);
    expect((await list('?orderId=order-7'))[0].signatureValid).toBe(false);
  });

  it('fails the first N attempts of each delivery when asked to (?fail=N)', async () => {
    const body = JSON.stringify({ event: 'order.confirmed', orderId: 'order-4' });
    const attempt = () => fetch(`${url}/hooks/retry?fail=2`, { method: 'POST', headers: { ...signed(body), 'x-boxoffice-delivery': 'd-4' }, body }).then((r) => r.status);
    expect([await attempt(), await attempt(), await attempt(), await attempt()]).toEqual([503, 503, 204, 204]);
    expect((await list('?orderId=order-4')).map((w) => w.status)).toEqual([503, 503, 204, 204]);
  });

  it('answers readiness, and 405 to anything but POST elsewhere', async () => {
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${url}/hooks/alice`)).status).toBe(405);
  });
});

describe('what the local stack’s webhooks may reach', () => {
  const options = resolveOptions({ stateDir: '.boxoffice/unit', portBase: 17000, replicasPerShard: 2, appReplicas: { inventory: 2, ordering: 2 }, log: () => undefined });
  const { allowedHosts, deniedAddresses } = webhookTargets(options);
  const allow = WebhookAllowList.parse(allowedHosts);
  const deny = DeniedAddresses.parse(deniedAddresses);
  if (!allow.ok || !deny.ok) throw new Error('the launcher wrote a setting notifications cannot read');
  const receiver = webhookReceiverPort(17000);

  it('allows only the stack’s receiver, not the rest of the loopback', () => {
    expect(allowedHosts).toBe(`127.0.0.1:${receiver}`);
    expect(allow.value.check(`http://127.0.0.1:${receiver}/hooks/alice`).ok).toBe(true);
    for (const { port } of requiredPorts(options).filter((p) => p.port !== receiver)) {
      expect([port, allow.value.check(`http://127.0.0.1:${port}/`).ok]).toEqual([port, false]);
    }
  });

  it('denies every other port of the stack on any address, and not the receiver', () => {
    const others = requiredPorts(options).filter((p) => p.port !== receiver);
    expect(others.length).toBeGreaterThan(15);
    for (const { port, label } of others) {
      for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '10.1.2.3']) {
        expect([label, address, deny.value.refusal(address, port) !== undefined]).toEqual([label, address, true]);
      }
    }
    expect(deny.value.refusal('127.0.0.1', receiver)).toBeUndefined();
    // Consecutive ports as one range: the two replicas of inventory, the nodes of a shard.
    expect(deniedAddresses).toContain('*:17010-17011');
    expect(deniedAddresses).toContain('*:17100-17102');
  });
});
