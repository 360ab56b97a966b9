import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonLogger } from '@boxoffice/observability';
import { webApp } from '../../src/web-app.js';

/** The storefront's server on a real port, over built pages in a temporary folder, its log lines kept. */
describe('the storefront server', () => {
  let root: string;
  let server: Server;
  let base: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'boxoffice-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>boxoffice</title>');
    writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
    const logger = new JsonLogger({ service: 'web', instance: 'web-test' }, undefined, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    server = webApp({ host: '127.0.0.1', port: 0, apiUrl: 'http://127.0.0.1:1', root }, logger).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  /** The request line of one request, once its answer is written. */
  async function requestLine(path: string): Promise<Record<string, unknown> | undefined> {
    const before = lines.length;
    const response = await fetch(`${base}${path}`);
    await response.arrayBuffer();
    // The line is written on the answer's `finish`, which may come a turn of the event loop after the client read it.
    for (let turn = 0; turn < 50; turn++) {
      const line = lines.slice(before).find((l) => l.msg === 'request');
      if (line) return line;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return undefined;
  }

  it('writes a line for every answered request: a page, an asset, a missing asset', async () => {
    expect(await requestLine('/shows/abc?x=1')).toMatchObject({ level: 'log', service: 'web', instance: 'web-test', context: 'HTTP', method: 'GET', path: '/shows/abc', status: 200 });
    expect(await requestLine('/assets/app-1234.js')).toMatchObject({ path: '/assets/app-1234.js', status: 200 });
    expect(await requestLine('/assets/gone-5678.js')).toMatchObject({ path: '/assets/gone-5678.js', status: 404 });
    expect(typeof (await requestLine('/config.json'))?.ms).toBe('number');
  });

  it('leaves probes and scrapes out', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics']) expect(await requestLine(path)).toBeUndefined();
  });
});
