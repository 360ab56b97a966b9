import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { DeniedAddresses } from '../../src/domain/webhook/denied-addresses.value-object.js';
import { HttpWebhookSender, type ResolveAll } from '../../src/infrastructure/webhook/http-webhook-sender.js';
import { webhookSignature } from '../../src/infrastructure/webhook/webhook-signature.js';

/**
 * The sender against real sockets on loopback: what it refuses to connect to,
 * whatever the spelling of the address, and that the address it checks is the
 * one it connects to. Two servers share one port, on 127.0.0.1 ("ours",
 * denied) and 127.0.0.2 ("the client's"), so a name that resolves to one or
 * the other shows where the request really went.
 */
const SECRET = 'integration-test-webhook-secret';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

class Listener {
  readonly received: Received[] = [];
  private readonly server: Server;

  constructor(private readonly answer: (request: Received) => { status: number; headers?: Record<string, string> } = () => ({ status: 204 })) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = { url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(received);
        const { status, headers } = this.answer(received);
        response.writeHead(status, headers).end();
      });
    });
  }

  async listen(host: string, port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function denied(spec: string): DeniedAddresses {
  const parsed = DeniedAddresses.parse(spec);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

/** A DNS stand-in: answers each name from a table that the test changes between attempts. */
function resolverFrom(table: Map<string, string[]>): ResolveAll {
  return async (hostname) => (table.get(hostname) ?? []).map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
}

const body = { event: 'order.confirmed' as const, orderId: '0193e0a0-0000-7000-8000-000000000001' };

describe('HttpWebhookSender: never the system itself', () => {
  const ours = new Listener();
  const theirs = new Listener();
  let port: number;
  const dns = new Map<string, string[]>();
  let sender: HttpWebhookSender;

  beforeAll(async () => {
    port = await ours.listen('127.0.0.1');
    await theirs.listen('127.0.0.2', port);
    sender = new HttpWebhookSender([SECRET], 5_000, denied(`127.0.0.1:${port}`), resolverFrom(dns));
  });

  afterAll(async () => {
    await ours.close();
    await theirs.close();
  });

  const post = (url: string, deliveryId = 'delivery-1') => sender.post({ deliveryId, url: new URL(url), body });

  it('delivers to an address that is not denied, signed', async () => {
    expect(await post(`http://127.0.0.2:${port}/hooks`)).toEqual({ sent: true });
    const [call] = theirs.received.splice(0);
    expect(call.url).toBe('/hooks');
    expect(call.headers['x-boxoffice-signature']).toBe(webhookSignature(SECRET, String(call.headers['x-boxoffice-timestamp']), call.body));
    expect(JSON.parse(call.body)).toEqual(body);
  });

  it.each(['127.0.0.1', '2130706433', '0x7f.1', '0x7f000001', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]'])('refuses %s, a spelling of 127.0.0.1, before connecting', async (host) => {
    const outcome = await post(`http://${host}:${port}/shows/x/cancel`);
    expect(outcome).toEqual({ sent: false, refused: true, reason: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port} is denied to webhooks|\\[::ffff:7f00:1\\]:${port} is denied to webhooks`)) });
    expect(ours.received).toEqual([]);
  });

  it('refuses a name that resolves to a denied address (localhost, from the system resolver)', async () => {
    const system = new HttpWebhookSender([SECRET], 5_000, denied(`127.0.0.1:${port}, [::1]:${port}`));
    const outcome = await system.post({ deliveryId: 'delivery-2', url: new URL(`http://localhost:${port}/orders/x/refund`), body });
    expect(outcome).toMatchObject({ sent: false, refused: true, reason: expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1): .* is denied to webhooks/) });
    expect(ours.received).toEqual([]);
  });

  it('connects to the address it checked: a name re-pointed at our address between attempts is refused on the next one', async () => {
    dns.set('hooks.example.test', ['127.0.0.2']);
    expect(await post(`http://hooks.example.test:${port}/hooks`, 'delivery-3')).toEqual({ sent: true });
    expect(theirs.received.splice(0).map((r) => r.headers['x-boxoffice-delivery'])).toEqual(['delivery-3']);

    dns.set('hooks.example.test', ['127.0.0.1']);
    expect(await post(`http://hooks.example.test:${port}/hooks`, 'delivery-3')).toEqual({
      sent: false,
      refused: true,
      reason: `hooks.example.test resolves to 127.0.0.1: 127.0.0.1:${port} is denied to webhooks (127.0.0.1:${port} on WEBHOOK_DENIED_ADDRESSES)`,
    });
    expect(ours.received).toEqual([]);
    expect(theirs.received).toEqual([]);
  });

  it('refuses a name when any of its addresses is denied, so no address is tried after a good one', async () => {
    dns.set('mixed.example.test', ['127.0.0.2', '::ffff:127.0.0.1']);
    expect(await post(`http://mixed.example.test:${port}/hooks`)).toMatchObject({ sent: false, refused: true, reason: expect.stringMatching(/^mixed\.example\.test resolves to ::ffff:127\.0\.0\.1: /) });
    expect([...ours.received, ...theirs.received]).toEqual([]);
  });

  it('always refuses the link-local metadata address, whatever the setting', async () => {
    const open = new HttpWebhookSender([SECRET], 5_000, denied(''));
    expect(await open.post({ deliveryId: 'delivery-4', url: new URL('http://169.254.169.254/latest/meta-data/'), body })).toMatchObject({ sent: false, refused: true });
  });

  it('does not follow a redirect to our address: the 3xx is a failed attempt', async () => {
    const redirecting = new Listener(() => ({ status: 307, headers: { location: `http://127.0.0.1:${port}/shows/x/cancel` } }));
    const redirectPort = await redirecting.listen('127.0.0.2');
    try {
      expect(await post(`http://127.0.0.2:${redirectPort}/hooks`)).toEqual({ sent: false, reason: 'answered HTTP 307' });
      expect(redirecting.received).toHaveLength(1);
      expect(ours.received).toEqual([]);
    } finally {
      await redirecting.close();
    }
  });
});

describe('HttpWebhookSender: a signing secret rollover', () => {
  const receiver = new Listener();
  let port: number;

  beforeAll(async () => {
    port = await receiver.listen('127.0.0.2');
  });

  afterAll(() => receiver.close());

  it('signs with the current and the previous secret, so a receiver still on the old one and one on the new both verify', async () => {
    const rolling = new HttpWebhookSender(['the-new-webhook-secret', SECRET], 5_000, denied(''));
    expect(await rolling.post({ deliveryId: 'delivery-5', url: new URL(`http://127.0.0.2:${port}/hooks`), body })).toEqual({ sent: true });
    const [call] = receiver.received.splice(0);
    const timestamp = String(call.headers['x-boxoffice-timestamp']);
    const listed = String(call.headers['x-boxoffice-signature']).split(',').map((s) => s.trim());
    expect(listed).toEqual([webhookSignature('the-new-webhook-secret', timestamp, call.body), webhookSignature(SECRET, timestamp, call.body)]);
  });
});
