import { type ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { BoxofficeApi, eventually, HttpClient } from '../../../../libs/testing/src/index.js';
import { REPO_ROOT, statePaths } from '../../paths.js';
import { readPidFile } from '../../pid-registry.js';
import { isAlive, signalProcess, waitForExit } from '../../process-table.js';
import { type StackDescription } from '../../stack-description.js';
import { stopRegisteredProcesses } from '../../stop-leftovers.js';

/**
 * `npm start` as a user (or a process manager) runs it, on a small stack of
 * its own: one Postgres node, one broker, and the apps an order needs. A
 * process killed with SIGKILL from outside is restarted and the stack serves
 * again; AP reads go on while the broker is gone; a crash loop is given up on,
 * loudly; SIGTERM to the npm process stops everything (ADR 0021).
 *
 * Its ports lie between the test stack's and `npm start`'s (port base + 251).
 * Odd, because Linux gives outgoing connections ephemeral ports (above 32767,
 * where the port bases of a shared machine may lie) walking up the even ones
 * first: an app port there can be taken by one of the stack's own connections
 * before the app listens.
 */
const portBase = Number(process.env.BOXOFFICE_TEST_PORT_BASE ?? 27000) + 251;
const stateDir = path.join(REPO_ROOT, '.boxoffice', `test-supervised-${portBase}`);
const paths = statePaths(stateDir);

/** Start-up and recovery of real processes on a busy machine: bounds that only stop a hung test. */
const START_BOUND_MS = 300_000;
const RECOVERY_BOUND_MS = 240_000;

let npm: ChildProcess;
/** The launcher's own pid (npm's child, or an orphan if a signal killed only npm). */
let launcher: number | undefined;
let exited: Promise<number | null>;
let output = '';
let stack: StackDescription;
let api: BoxofficeApi;
let show: { showId: string; seatIds: string[] };
const holders: net.Server[] = [];

const description = (): StackDescription => JSON.parse(fs.readFileSync(paths.stackJson, 'utf8')) as StackDescription;

async function consoleShows(pattern: RegExp, timeoutMs = RECOVERY_BOUND_MS): Promise<void> {
  await eventually(() => expect(output).toMatch(pattern), { timeoutMs, intervalMs: 250 });
}

/**
 * Takes a port as soon as its process has let go of it (just after a SIGKILL),
 * so its restarts cannot listen there: a broker or database that cannot come
 * back. Connections are accepted and dropped at once.
 */
async function holdPort(port: number): Promise<net.Server> {
  return eventually(
    () =>
      new Promise<net.Server>((resolve, reject) => {
        const server = net.createServer((socket) => socket.destroy());
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          holders.push(server);
          resolve(server);
        });
      }),
    { timeoutMs: 10_000, intervalMs: 20 },
  );
}

const release = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

async function orderSettles(customer: string, seatId: string): Promise<void> {
  const key = randomUUID();
  // A context that has just come back may answer 503 a moment longer; the retry keeps its key.
  const placed = await eventually(async () => {
    const response = await api.placeOrder(customer, { showId: show.showId, seatIds: [seatId] }, key);
    expect(response.status).toBe(202);
    return response.body;
  });
  expect((await api.settledOrder(customer, placed.orderId, 90_000)).status).toBe('confirmed');
}

/** Starts `npm start`: true once the stack runs, false if it exited first (`exited` has its code). */
async function startNpm(): Promise<boolean> {
  fs.rmSync(stateDir, { recursive: true, force: true });
  output = '';
  npm = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    // Its own process group, so a failed test can take it down whole.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      BOXOFFICE_PORT_BASE: String(portBase),
      BOXOFFICE_STATE_DIR: stateDir,
      BOXOFFICE_SHARDS: '1',
      BOXOFFICE_REPLICAS_PER_SHARD: '0',
      BOXOFFICE_BROKERS: '1',
      BOXOFFICE_APPS: 'catalog,inventory,ordering,payments,gateway',
      BOXOFFICE_APP_REPLICAS: '',
      BOXOFFICE_RESTART: 'unless-stopped',
    },
  });
  for (const stream of [npm.stdout!, npm.stderr!]) stream.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  exited = new Promise((resolve) => npm.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + START_BOUND_MS;
  while (!output.includes('[stack] running;')) {
    if (npm.exitCode !== null || npm.signalCode !== null) return false;
    if (Date.now() > deadline) throw new Error(`npm start did not run the stack within ${START_BOUND_MS / 1000} s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return true;
}

beforeAll(async () => {
  // Should an outgoing connection take one of its ports all the same (see portBase), that start is tried once more.
  let started = await startNpm();
  if (!started && output.includes('EADDRINUSE')) started = await startNpm();
  if (!started) throw new Error(`npm start exited (${await exited}) before the stack ran:\n${output}`);
  launcher = Number(fs.readFileSync(paths.launcherPidFile, 'utf8'));
  stack = description();
  api = new BoxofficeApi(stack.gatewayUrl!);
  show = await api.publishShow('Supervised', [{ code: 'A', rows: 1, seatsPerRow: 10, priceTier: 'STD' }]);
  await api.waitUntilOnSale(show.showId);
}, 2 * START_BOUND_MS + 60_000);

afterAll(async () => {
  await Promise.all(holders.map(release));
  if (npm?.exitCode === null && npm.signalCode === null) {
    npm.kill('SIGTERM');
    if (!(await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 60_000))]))) {
      process.kill(-npm.pid!, 'SIGKILL');
    }
  }
  // Whatever a failed test left behind: a launcher that outlived npm, then its processes.
  if (launcher && isAlive(launcher)) {
    signalProcess(launcher, 'SIGTERM');
    if (!(await waitForExit(launcher, undefined, 60_000))) signalProcess(launcher, 'SIGKILL');
  }
  await stopRegisteredProcesses(paths.pidsFile);
}, 120_000);

describe('npm start supervises its processes', () => {
  it('restarts an app killed with SIGKILL, says so, and serves orders again', async () => {
    const killed = stack.apps.ordering[0].pid!;
    process.kill(killed, 'SIGKILL');
    await consoleShows(/ordering-0 exited unexpectedly \(killed by SIGKILL\) after [\d.]+ s; restarting it in 1\.0 s/);
    await consoleShows(/ordering-0 is ready again \(pid \d+/);
    const restarted = description().apps.ordering[0].pid;
    expect(restarted).not.toBeNull();
    expect(restarted).not.toBe(killed);
    await orderSettles('after-app-crash', 'A-1-1');
  }, RECOVERY_BOUND_MS + 60_000);

  it('keeps AP reads up (ready, degraded) while the broker is gone, and restarts the broker', async () => {
    const broker = stack.kafka.nodes[0];
    process.kill(broker.pid!, 'SIGKILL');
    const held = await holdPort(broker.port);
    await consoleShows(/kafka broker 0 exited unexpectedly \(killed by SIGKILL\)/);

    type Health = { status: string; details: Record<string, { status: string }>; error: Record<string, { status: string }> };
    const catalog = await new HttpClient(stack.apps.catalog[0].url).get<Health>('/health/ready');
    const ordering = await new HttpClient(stack.apps.ordering[0].url).get<Health>('/health/ready');
    const shows = await api.http.get<{ id: string }[]>('/shows');
    await release(held);

    expect(catalog.status).toBe(200);
    expect(catalog.body.status).toBe('degraded');
    expect(catalog.body.details.kafka.status).toBe('degraded');
    expect(catalog.body.details['postgres-shard0'].status).toBe('up');
    expect(shows.status).toBe(200);
    expect(shows.body.map((s) => s.id)).toContain(show.showId);
    // CP: no broker, no saga step: not ready, and its details say why.
    expect(ordering.status).toBe(503);
    expect(ordering.body.error.kafka.status).toBe('down');

    await consoleShows(/kafka broker 0 is ready again/);
    await orderSettles('after-broker-crash', 'A-1-2');
  }, RECOVERY_BOUND_MS + 60_000);

  it('gives up, loudly, on a process that keeps crashing soon after its start', async () => {
    const primary = stack.postgres.shards[0].primary;
    process.kill(primary.pid!, 'SIGKILL');
    // Every restart finds its port taken and exits at once.
    await holdPort(primary.port);
    await consoleShows(/GAVE UP on postgres shard 0 node 0: it crashed 5 times in a row, each within 60\.0 s of its start/);
    const delays = [...output.matchAll(/postgres shard 0 node 0 exited unexpectedly .*; restarting it in ([\d.]+) s/g)].map((m) => m[1]);
    expect(delays).toEqual(['1.0', '2.0', '4.0', '8.0']);
    expect(output).toMatch(/GAVE UP on postgres shard 0 node 0[^\n]*\n.*Last lines of [^\n]*postgres-shard0-node0\.log/);
    expect(description().postgres.shards[0].primary.pid).toBeNull();
  }, RECOVERY_BOUND_MS);

  it('stops everything in order on SIGTERM to the npm start process, leaving no process behind', async () => {
    const children = readPidFile(paths.pidsFile)!.processes;
    expect(children.map((p) => p.id)).toContain('app:gateway-0');
    process.kill(npm.pid!, 'SIGTERM');
    await exited;
    expect(output).toContain('[stack] SIGTERM received');
    expect(output).toContain('[stack] stopping: apps, then Kafka, then Postgres');
    expect(output).toMatch(/\[stack\] stopped in [\d.]+ s/);
    expect(isAlive(launcher!)).toBe(false);
    expect(children.filter((p) => isAlive(p.pid, p.startTime)).map((p) => p.id)).toEqual([]);
    expect(fs.existsSync(paths.launcherPidFile)).toBe(false);
  }, 120_000);
});
