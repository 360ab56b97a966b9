import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningStack } from '../stack/stack.js';

/**
 * Lets fault tests (which run in jest's own processes) stop, kill and start
 * processes of the stack this runner started: `POST /processes/<id>/<stop|kill|start>`,
 * `GET /processes`, and fail a shard over to a standby: `POST /shards/<n>/failover`. Loopback only, and only for the length of a test run.
 */
export async function startStackControl(stack: RunningStack): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
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
    const [, id, action] = match;
    const act = { stop: stack.stopProcess, kill: stack.killProcess, start: stack.startProcess }[action as 'stop' | 'kill' | 'start'];
    act(decodeURIComponent(id)).then(
      () => answer(200, { id, action }),
      (error: unknown) => answer(409, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
