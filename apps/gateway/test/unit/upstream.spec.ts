import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallerTokenSigner, CallerTokenVerifier, generateCallerTokenKeys, ProblemException, publicKeysFromEnv, signingKeyFromEnv } from '@boxoffice/platform';
import { Upstream } from '../../src/infrastructure/upstream.js';

/**
 * The gateway's client for a context's replicas, against real HTTP servers on
 * loopback: what it retries on another replica and what it must not.
 */
type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

interface Replica {
  url: string;
  hits: number;
  /** TCP connections accepted. */
  connections: number;
  close(): Promise<void>;
}

async function replica(handler: Handler, keepAliveTimeout?: number): Promise<Replica> {
  const state = { hits: 0, connections: 0 };
  const server: Server = createServer((request, response) => {
    state.hits++;
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => handler(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout;
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get hits() {
      return state.hits;
    },
    get connections() {
      return state.connections;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback address where nothing listens: the connection is refused. */
async function refusingUrl(): Promise<string> {
  const closed = await replica(() => undefined);
  await closed.close();
  return closed.url;
}

const json = (status: number, body: unknown): Handler => (_request, response) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

const keys = generateCallerTokenKeys('test-1');
const signer = new CallerTokenSigner(signingKeyFromEnv({ CALLER_TOKEN_SIGNING_KEY: keys.signingKey }));
const publicKeys = publicKeysFromEnv({ CALLER_TOKEN_PUBLIC_KEYS: keys.publicKey });
const alice = { id: 'alice', email: 'alice@example.test', role: 'customer' as const };

const breakConnection: Handler = (request) => request.socket.destroy();

describe('Upstream', () => {
  const replicas: Replica[] = [];
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => r.close()));
  });
  const start = async (handler: Handler, keepAliveTimeout?: number) => {
    const r = await replica(handler, keepAliveTimeout);
    replicas.push(r);
    return r;
  };

  it('sends the JSON body and correlation id, and passes status and body back', async () => {
    const echo = await start((request, response, body) =>
      json(201, { method: request.method, path: request.url, correlation: request.headers['x-correlation-id'], received: JSON.parse(body) })(request, response, body),
    );
    const upstream = new Upstream('ordering', [echo.url], signer);
    const reply = await upstream.call({ method: 'POST', path: '/orders?x=1', body: { seats: ['A-1'] }, correlationId: 'c-1', principal: null });
    expect(reply).toEqual({ status: 201, body: { method: 'POST', path: '/orders?x=1', correlation: 'c-1', received: { seats: ['A-1'] } } });
  });

  it('takes the replicas in turn and reuses connections', async () => {
    const a = await start(json(200, { from: 'a' }));
    const b = await start(json(200, { from: 'b' }));
    const upstream = new Upstream('catalog', [a.url, b.url], signer);
    const froms = [];
    for (let i = 0; i < 4; i++) froms.push((await upstream.call<{ from: string }>({ method: 'GET', path: '/shows', correlationId: `c-${i}`, principal: null })).body.from);
    expect(froms).toEqual(['a', 'b', 'a', 'b']);
    expect([a.connections, b.connections]).toEqual([1, 1]);
  });

  it("retires an idle connection before the context's keep-alive timeout would close it under a command", async () => {
    // The context says `Keep-Alive: timeout=2`. A command sent on a socket the context closes at that very moment
    // breaks, and is not sent again (it may have arrived): the gateway stops reusing a socket a second early.
    const context = await start(json(202, { ok: true }), 2000);
    const upstream = new Upstream('ordering', [context.url], signer);
    const command = () => upstream.call({ method: 'POST', path: '/orders', body: {}, correlationId: 'c', principal: null });
    expect((await command()).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await command()).status).toBe(202);
    expect(context.connections).toBe(2);
  });

  it('moves a command on to the next replica when the connection is refused, since nothing arrived', async () => {
    const alive = await start(json(202, { ok: true }));
    const upstream = new Upstream('ordering', [await refusingUrl(), alive.url], signer);
    const reply = await upstream.call({ method: 'POST', path: '/orders', body: {}, correlationId: 'c', principal: null });
    expect(reply.status).toBe(202);
    expect(alive.hits).toBe(1);
  });

  it('does not send a command without an idempotency key again after a broken connection: it may have arrived', async () => {
    const broken = await start(breakConnection);
    const other = await start(json(202, { ok: true }));
    const upstream = new Upstream('ordering', [broken.url, other.url], signer);
    await expect(upstream.call({ method: 'POST', path: '/orders', body: {}, correlationId: 'c', principal: null })).rejects.toBeInstanceOf(ProblemException);
    expect(broken.hits).toBe(1);
    expect(other.hits).toBe(0);
  });

  it('tries a read or an idempotent command on the next replica after a broken connection', async () => {
    const broken = await start(breakConnection);
    const other = await start(json(200, { ok: true }));
    const upstream = new Upstream('ordering', [broken.url, other.url], signer);
    expect((await upstream.call({ method: 'GET', path: '/orders/1', correlationId: 'c', principal: null })).status).toBe(200);
    expect((await upstream.call({ method: 'POST', path: '/orders', body: {}, correlationId: 'c', principal: null, idempotent: true })).status).toBe(200);
    expect(other.hits).toBe(2);
  });

  it('asks only the first replica to wait: after that try timed out, the next answers at once', async () => {
    const prefers: (string | string[] | undefined)[] = [];
    const silent = await start((request) => prefers.push(request.headers.prefer));
    const other = await start((request, response, body) => {
      prefers.push(request.headers.prefer);
      json(200, { ok: true })(request, response, body);
    });
    const upstream = new Upstream('ordering', [silent.url, other.url], signer);

    const response = await upstream.call({ method: 'GET', path: '/orders/1', correlationId: 'c', principal: null, wait: { headers: { prefer: 'wait=20' }, timeoutMillis: 200 } });

    expect(response.status).toBe(200);
    // The client has waited once already; the retry does not make it wait a second time.
    expect(prefers).toEqual(['wait=20', undefined]);
  });

  it('gives up on a replica that does not answer within its bound, with 503', async () => {
    const silent = await start(() => undefined);
    const upstream = new Upstream('ordering', [silent.url], signer, 200);
    const failure = await upstream.call({ method: 'POST', path: '/orders', body: {}, correlationId: 'c', principal: null }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProblemException);
    expect((failure as ProblemException).getStatus()).toBe(503);
    expect(JSON.stringify((failure as ProblemException).getResponse())).toContain('timed out');
  });

  it('signs every try with a caller token for that context, request and principal, which the context accepts', async () => {
    const tokens: { token: string; method: string; path: string }[] = [];
    const record = (request: IncomingMessage) =>
      tokens.push({ token: (request.headers.authorization ?? '').replace(/^Bearer /, ''), method: request.method ?? '', path: request.url ?? '' });
    const broken = await start((request) => {
      record(request);
      request.socket.destroy();
    });
    const other = await start((request, response, body) => {
      record(request);
      json(200, { ok: true })(request, response, body);
    });
    const upstream = new Upstream('ordering', [broken.url, other.url], signer);

    await upstream.call({ method: 'POST', path: '/orders/0192/refund?x=1', body: { n: 1 }, correlationId: 'c', principal: alice, idempotent: true });

    expect(tokens).toHaveLength(2);
    const verifier = new CallerTokenVerifier('ordering', publicKeys);
    for (const { token, method, path } of tokens) {
      expect(path).toBe('/orders/0192/refund?x=1');
      expect(verifier.verify(token, { method, path }).principal).toEqual(alice);
    }
    // Each try has its own token: none is ever reused.
    expect(new Set(tokens.map((t) => t.token)).size).toBe(2);
    expect(() => new CallerTokenVerifier('payments', publicKeys).verify(tokens[0]!.token, tokens[0]!)).toThrow(/not payments/);
  });

  it("turns a context's refusal of the gateway's own token into a 502: the end user's credentials are not the problem", async () => {
    const refusing = await start(json(401, { type: 'urn:boxoffice:problem:caller-unauthenticated', title: 'Unauthorized', status: 401, code: 'caller-unauthenticated' }));
    const upstream = new Upstream('catalog', [refusing.url], signer);
    const failure = await upstream.expectOk({ method: 'GET', path: '/shows', correlationId: 'c', principal: null }).catch((error: unknown) => error);
    expect((failure as ProblemException).getStatus()).toBe(502);
  });
});
