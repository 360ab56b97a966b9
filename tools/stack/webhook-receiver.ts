import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';

/**
 * A client's webhook endpoint, run by the local stack (and docker-compose.yml)
 * for demos and tests: the one place the stack's notifications may call.
 *
 *   POST <any path>              records the webhook, answers 204
 *   POST <any path>?fail=N       answers 503 to the first N attempts of each delivery, then 204
 *   GET  /webhooks               everything received, oldest first (JSON)
 *   GET  /webhooks?orderId=<id>  only the webhooks about that order
 *   GET  /health/ready           200
 *
 * With WEBHOOK_SIGNING_SECRET set, each webhook is checked as a client should
 * check it (README of notifications): the HMAC over `<timestamp>.<body>`,
 * compared in constant time with each signature listed (two while the sender
 * rolls its secret over), and a timestamp no older than five minutes.
 * Kept in memory, the last 10 000: a restart forgets them.
 */
export interface ReceivedWebhook {
  receivedAt: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  deliveryId: string | null;
  orderId: string | null;
  event: string | null;
  /** null: no secret to check with. */
  signatureValid: boolean | null;
  /** What it answered: 503 to attempts it was told to fail (`?fail=N`), else 204. */
  status: number;
}

const KEEP = 10_000;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_AGE_SECONDS = 300;

export interface ReceiverOptions {
  /** Checks signatures with it when set. */
  secret?: string;
  /** One JSON line per webhook; stdout (the launcher's log file) by default. */
  log?: (line: string) => void;
}

export function webhookReceiver({ secret, log = (line) => process.stdout.write(`${line}\n`) }: ReceiverOptions = {}): Server {
  const received: ReceivedWebhook[] = [];
  const attempts = new Map<string, number>();

  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://receiver');
    const answer = (status: number, body?: unknown) => {
      response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (request.method === 'GET' && url.pathname === '/health/ready') return answer(200, { status: 'ok' });
    if (request.method === 'GET' && url.pathname === '/webhooks') {
      const orderId = url.searchParams.get('orderId');
      return answer(200, orderId === null ? received : received.filter((w) => w.orderId === orderId));
    }
    if (request.method !== 'POST') return answer(405, { error: 'POST a webhook, or GET /webhooks' });

    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return answer(413, { error: `bodies over ${MAX_BODY_BYTES} bytes are not kept` });
      const body = Buffer.concat(chunks).toString('utf8');
      const deliveryId = header(request.headers, 'x-boxoffice-delivery');
      const key = deliveryId ?? url.pathname;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const status = attempt <= Number(url.searchParams.get('fail') ?? 0) ? 503 : 204;
      const about = parseAbout(body);
      const webhook: ReceivedWebhook = {
        receivedAt: new Date().toISOString(),
        method: request.method ?? 'POST',
        path: url.pathname + url.search,
        headers: request.headers,
        body,
        deliveryId,
        orderId: about.orderId,
        event: about.event,
        signatureValid: secret ? isSigned(request.headers, body, secret) : null,
        status,
      };
      received.push(webhook);
      if (received.length > KEEP) received.splice(0, received.length - KEEP);
      if (attempts.size > KEEP) attempts.delete(attempts.keys().next().value as string);
      log(JSON.stringify({ msg: 'webhook received', path: webhook.path, deliveryId, orderId: about.orderId, event: about.event, signatureValid: webhook.signatureValid, status }));
      answer(status);
    });
  });
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return typeof value === 'string' ? value : null;
}

function parseAbout(body: string): { orderId: string | null; event: string | null } {
  try {
    const parsed = JSON.parse(body) as { orderId?: unknown; event?: unknown };
    return { orderId: typeof parsed.orderId === 'string' ? parsed.orderId : null, event: typeof parsed.event === 'string' ? parsed.event : null };
  } catch {
    return { orderId: null, event: null };
  }
}

/**
 * The header lists one signature per secret the sender signs with (two during
 * its rollover): valid when one of them is ours, compared in constant time.
 */
function isSigned(headers: IncomingHttpHeaders, body: string, secret: string): boolean {
  const timestamp = header(headers, 'x-boxoffice-timestamp') ?? '';
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_AGE_SECONDS) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const listed = (header(headers, 'x-boxoffice-signature') ?? '').split(',').map((signature) => Buffer.from(signature.trim()));
  return listed.some((signature) => signature.length === expected.length && timingSafeEqual(signature, expected));
}

function main(): void {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error('Missing or invalid setting PORT (the port the webhook receiver listens on)');
  const host = process.env.HOST ?? '127.0.0.1';
  const server = webhookReceiver({ secret: process.env.WEBHOOK_SIGNING_SECRET || undefined });
  server.listen(port, host, () => process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://${host}:${port}` })}\n`));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close(() => process.exit(0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
