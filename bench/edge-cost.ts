/**
 * `npm run bench:edge`: CPU per request at the public edge. Sends the same
 * request many times through the gateway and divides the CPU time the
 * gateway process and the context behind it used by the number of requests:
 * a cost, not a latency, so it holds up on a shared, noisy machine better
 * than any wall-clock figure. Two requests: an authenticated order lookup
 * (token check, call to ordering, its 404 passed through) and an anonymous
 * show page (call to catalog). First, what the stack costs doing nothing:
 * CPU per second of every process while no request arrives (pollers,
 * heartbeats, replication). See BENCHMARKS.md.
 *
 * Flags (or env): --requests BENCH_REQUESTS (3000 per round, 3 rounds),
 * --concurrency BENCH_CONCURRENCY (10), --port-base BENCH_PORT_BASE (22000),
 * --use-running <stateDir> (measure a stack that is already up).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BoxofficeApi } from '../libs/testing/src/boxoffice-api.js';
import { REPO_ROOT } from '../tools/stack/paths.js';
import { type StackDescription } from '../tools/stack/stack-description.js';
import { type RunningStack, startStack } from '../tools/stack/stack.js';
import { benchArgs, writeBenchResult } from './bench-io.js';
import { stackProcesses, treeCpuSeconds } from './cpu.js';
import { median, round, table } from './stats.js';

const STATE_DIR = '.boxoffice/bench-edge';
const ROUNDS = 3;

interface Probe {
  name: string;
  upstream: 'ordering' | 'catalog';
  request: () => Promise<number>;
}

interface Round {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  gatewayCpuMsPerRequest: number;
  upstreamCpuMsPerRequest: number;
}

async function measure(d: StackDescription, probe: Probe, requests: number, concurrency: number): Promise<Round> {
  const gateway = d.apps.gateway.map((a) => a.pid!);
  const upstream = d.apps[probe.upstream].map((a) => a.pid!);
  const statuses: Record<string, number> = {};
  const before = { gateway: treeCpuSeconds(gateway), upstream: treeCpuSeconds(upstream), at: Date.now() };
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent++ < requests) {
        const status = String(await probe.request());
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  return {
    requests,
    seconds: round((Date.now() - before.at) / 1000, 2),
    statuses,
    gatewayCpuMsPerRequest: round((1000 * (treeCpuSeconds(gateway) - before.gateway)) / requests, 3),
    upstreamCpuMsPerRequest: round((1000 * (treeCpuSeconds(upstream) - before.upstream)) / requests, 3),
  };
}

const IDLE_SECONDS = 20;

/** CPU-milliseconds per second of wall time, per process, while nothing is asked of the stack. */
async function idleCost(d: StackDescription): Promise<{ total: number; byProcess: Record<string, number> }> {
  // Let a freshly started stack settle (consumer groups joining, first compilations) before measuring.
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const processes = Object.entries(stackProcesses(d));
  const before = processes.map(([, pid]) => treeCpuSeconds([pid]));
  const startedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const seconds = (Date.now() - startedAt) / 1000;
  const byProcess = Object.fromEntries(processes.map(([name, pid], i) => [name, round((1000 * (treeCpuSeconds([pid]) - before[i])) / seconds, 1)]));
  return { total: round(Object.values(byProcess).reduce((a, b) => a + b, 0), 1), byProcess };
}

async function benchmark(d: StackDescription, requests: number, concurrency: number) {
  const api = new BoxofficeApi(d.gatewayUrl!);
  const auth = await api.authHeaders('edge-buyer');
  const show = await api.publishShow('Edge cost', [{ code: 'A', rows: 1, seatsPerRow: 10, priceTier: 'STD' }]);
  const probes: Probe[] = [
    { name: 'GET /orders/:id (token, ordering, 404)', upstream: 'ordering', request: async () => (await api.http.get(`/orders/${randomUUID()}`, auth)).status },
    { name: 'GET /shows/:id (anonymous, catalog)', upstream: 'catalog', request: async () => (await api.http.get(`/shows/${show.showId}`)).status },
  ];
  const results = [];
  for (const probe of probes) {
    process.stdout.write(`[bench] ${probe.name}: warm-up, then ${ROUNDS} rounds of ${requests}\n`);
    await measure(d, probe, Math.min(500, requests), concurrency);
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await measure(d, probe, requests, concurrency));
    results.push({
      probe: probe.name,
      upstream: probe.upstream,
      rounds,
      gatewayCpuMsPerRequest: median(rounds.map((r) => r.gatewayCpuMsPerRequest)),
      upstreamCpuMsPerRequest: median(rounds.map((r) => r.upstreamCpuMsPerRequest)),
      requestsPerSecond: median(rounds.map((r) => round(r.requests / r.seconds, 0))),
    });
  }
  return results;
}

async function main(): Promise<void> {
  const { flag, whole } = benchArgs(process.argv.slice(2), process.env);
  const requests = whole('requests', 'BENCH_REQUESTS', 3000);
  const concurrency = whole('concurrency', 'BENCH_CONCURRENCY', 10);
  const useRunning = flag('use-running', 'BENCH_USE_RUNNING');
  let stack: RunningStack | undefined;
  let description: StackDescription;
  if (useRunning) {
    description = JSON.parse(readFileSync(join(REPO_ROOT, useRunning, 'stack.json'), 'utf8')) as StackDescription;
  } else {
    const portBase = whole('port-base', 'BENCH_PORT_BASE', 22000);
    process.stdout.write(`[bench] starting a stack in ${STATE_DIR} (port base ${portBase})\n`);
    stack = await startStack({ stateDir: STATE_DIR, portBase, log: (line) => process.stdout.write(`[stack] ${line}\n`) });
    description = stack.description;
  }
  try {
    process.stdout.write(`[bench] idle: ${IDLE_SECONDS} s with no requests\n`);
    const idle = await idleCost(description);
    const results = await benchmark(description, requests, concurrency);
    const file = writeBenchResult('edge-cost', { settings: { requests, concurrency, rounds: ROUNDS }, idle, results });
    const rows = [['request', 'gateway CPU ms/request', 'context CPU ms/request', 'requests/s'], ...results.map((r) => [r.probe, r.gatewayCpuMsPerRequest, r.upstreamCpuMsPerRequest, r.requestsPerSecond])];
    const idleRows = [['idle process', 'CPU ms per second'], ...Object.entries(idle.byProcess).sort((a, b) => b[1] - a[1]), ['whole stack', idle.total]];
    process.stdout.write(`\n${table(idleRows)}\n\n${table(rows)}\n\nresult: ${file}\n`);
  } finally {
    await stack?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
