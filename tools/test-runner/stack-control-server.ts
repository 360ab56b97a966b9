import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningStack } from '../stack/stack.js';

/**
 * Lets fault tests (which run in jest's own processes) stop, kill and start
 * processes of the stack this runner started: `POST /processes/<id>/<stop|kill|start>`
 * (a start may carry `{"env": {…}}`: settings added for that start only),
 * `GET /processes`, and fail a shard over to a standby: `POST /shards/<n>/failover`. Loopback only, and only for the length of a test run.
 */
export async function startStackControl(stack: RunningStack): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      // One request per connection: a kept-alive socket that this server closes when idle could otherwise be
      // reused by the client at that very moment ("other side closed"), and a start or stop must not be sent twice.
      response.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify(body));
    };
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/processes') return answer(200, stack.processIds());
    const failover = /^\/shards\/(\d+)\/failover$/.exec(url.pathname);
    if (request.method === 'POST' && failover) {
      return void stack.failover(Number(failover[1])).then(
        (result) => answer(200, result),
        (error: unknown) => answer(409, { error: error instanceof Error ? error.message : String(error) }),
      );
    }
    const match = /^\/processes\/([^/]+)\/(stop|kill|start)$/.exec(url.pathname);
    if (request.method !== 'POST' || !match) return answer(404, { error: 'unknown route' });
    const [, encodedId, action] = match;
    const id = decodeURIComponent(encodedId);
    const act = {
      stop: () => stack.stopProcess(id),
      kill: () => stack.killProcess(id),
      start: async () => stack.startProcess(id, await startEnv(request)),
    }[action as 'stop' | 'kill' | 'start'];
    act().then(
      () => answer(200, { id, action }),
      (error: unknown) => answer(409, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The optional `{"env": {NAME: "value"}}` body of a start. */
async function startEnv(request: IncomingMessage): Promise<Record<string, string> | undefined> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  if (text.trim() === '') return undefined;
  const { env } = JSON.parse(text) as { env?: Record<string, unknown> };
  if (env === undefined) return undefined;
  if (typeof env !== 'object' || env === null || Object.values(env).some((v) => typeof v !== 'string')) throw new Error('env must map names to strings');
  return env as Record<string, string>;
}
