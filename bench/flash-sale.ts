/**
 * `npm run bench`: the flash-sale benchmark. Buyers race for a show's seats
 * through the gateway's public API; each order is followed to its outcome.
 * Alongside, the stack's own floor (a durable commit, a broker round trip)
 * is measured in the same run, so the figures can be read as ratios on a
 * shared, noisy machine. See BENCHMARKS.md.
 *
 * Flags (or env): --seats BENCH_SEATS (400), --buyers BENCH_BUYERS (300),
 * --rate BENCH_RATE (orders/s offered; default every buyer at once),
 * --replicas BENCH_REPLICAS (ordering and inventory replicas per run, "1,2"),
 * --port-base BENCH_PORT_BASE (26000; below the ephemeral port range, 32768 and up on Linux), --use-running <stateDir> (measure a
 * stack that is already up instead of starting one), --seed BENCH_SEED,
 * --follow BENCH_FOLLOW (`wait`: long polls, the default; `poll`: plain GETs with backoff),
 * --warm-up BENCH_WARM_UP (buyers in the unmeasured sale before, 200),
 * --tracing BENCH_TRACING (`on`, the default, as `npm start`: every app traces to the stack's Jaeger; `off`).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { BoxofficeApi } from '../libs/testing/src/boxoffice-api.js';
import { checkInvariants, type Violation } from '../tools/invariants/check-invariants.js';
import { REPO_ROOT } from '../tools/stack/paths.js';
import { type StackDescription } from '../tools/stack/stack-description.js';
import { type RunningStack, startStack } from '../tools/stack/stack.js';
import { benchArgs, writeBenchResult } from './bench-io.js';
import { brokerPids, cpuClock, ownCpuSeconds, processRoles, shardNodePids, stackProcesses, treeCpuSeconds } from './cpu.js';
import { type BrokerFloor, type CommitFloor, measureBrokerFloor, measureCommitFloor } from './floors.js';
import { type Attempt, runBuyers, signInBuyers } from './load.js';
import { profileSaga, type SagaProfile } from './profile.js';
import { percentile, round, table } from './stats.js';

interface Settings {
  seats: number;
  buyers: number;
  ratePerSecond?: number;
  replicas: number[];
  portBase: number;
  useRunning?: string;
  seed: number;
  floorSeconds: number;
  warmUpBuyers: number;
  follow: 'wait' | 'poll';
  tracing: boolean;
}

const SEATS_PER_ROW = 20;
const STATE_DIR = '.boxoffice/bench';

function settingsFromArgs(argv: string[], env: NodeJS.ProcessEnv): Settings {
  const { flag, whole } = benchArgs(argv, env);
  const rate = flag('rate', 'BENCH_RATE');
  return {
    seats: whole('seats', 'BENCH_SEATS', 400),
    buyers: whole('buyers', 'BENCH_BUYERS', 300),
    ratePerSecond: rate === undefined || rate === 'all' ? undefined : whole('rate', 'BENCH_RATE', 1),
    replicas: (flag('replicas', 'BENCH_REPLICAS') ?? '1,2').split(',').map(Number),
    portBase: whole('port-base', 'BENCH_PORT_BASE', 26000),
    useRunning: flag('use-running', 'BENCH_USE_RUNNING'),
    seed: whole('seed', 'BENCH_SEED', 42),
    floorSeconds: whole('floor-seconds', 'BENCH_FLOOR_SECONDS', 3),
    warmUpBuyers: whole('warm-up', 'BENCH_WARM_UP', 200),
    follow: followFrom(flag('follow', 'BENCH_FOLLOW')),
    tracing: onOff(flag('tracing', 'BENCH_TRACING') ?? 'on', '--tracing'),
  };
}

function onOff(value: string, what: string): boolean {
  if (value === 'on' || value === 'off') return value === 'on';
  throw new Error(`${what} must be on or off, not ${value}`);
}

function followFrom(value: string | undefined): Settings['follow'] {
  if (value === undefined || value === 'wait' || value === 'poll') return value ?? 'wait';
  throw new Error(`--follow must be wait or poll, not ${value}`);
}

const say = (line: string): void => {
  process.stdout.write(`[bench] ${line}\n`);
};

interface RunResult {
  replicas: number | 'as running';
  seats: number;
  buyers: number;
  offered: string;
  floors: { commit: CommitFloor; broker: BrokerFloor };
  orders: { posted: number; accepted: number; confirmed: number; rejected: number; seatsSold: number; rejectionReasons: Record<string, number>; polls: number };
  errors: Record<string, number>;
  durationSeconds: number;
  confirmedPerSecond: number;
  seatsPerSecond: number;
  /** POST sent → the settling transaction began (from the saga's own data). */
  latencyMs: { p50: number; p95: number; p99: number };
  /** POST sent → the buyer's poll saw the order settled (adds the polling delay). */
  observedLatencyMs: { p50: number; p95: number; p99: number };
  cpuSeconds: { stack: number; perThousandOrders: number; loadGenerator: number; byProcess: Record<string, number> };
  /** CPU-ms per settled order by role (an app's replicas together, Postgres primaries, standbys, Kafka), largest first. */
  cpuMsPerOrderByRole: Record<string, number>;
  ceilings: {
    transactionsPerOrder: number;
    brokerHopsPerOrder: number;
    latencyFloorMs: number;
    commitCeilingOrdersPerSecond: number;
    ofCommitCeiling: number;
    /** Every core of the machine spent on the stack alone, at the CPU one order cost in this run. */
    cpuCeilingOrdersPerSecond: number;
    ofCpuCeiling: number;
    /** A confirmed order's commits and broker hops at the floors' CPU cost, as if nothing else cost anything. */
    cpuFloorMsPerConfirmedOrder: number;
    /** Every core spent on that floor alone: what no code on this platform could beat with this saga. */
    cpuFloorCeilingOrdersPerSecond: number;
    /** The share of the stack's CPU in this run that its messages' commits and round trips account for at floor cost. */
    floorShareOfStackCpu: number;
  };
  profile: Omit<SagaProfile, 'settledAt'>;
  invariants: Violation[];
}

async function benchmarkOn(description: StackDescription, settings: Settings, replicas: number | 'as running'): Promise<RunResult> {
  const api = new BoxofficeApi(description.gatewayUrl ?? failNoGateway());

  say(`floor: synchronous-commit INSERT loop on ordering shard 0 (${settings.floorSeconds}s, 1 then 8 connections)`);
  const floorShard = description.databases.ordering[0].primary;
  const commit = await measureCommitFloor(floorShard, settings.floorSeconds, cpuClock(shardNodePids(description, floorShard)));
  say(`  ${commit.serialPerSecond} commits/s on one connection (p50 ${commit.p50Ms} ms), ${commit.concurrentPerSecond}/s on ${commit.connections}, ${commit.cpuMsPerCommit} CPU-ms each`);
  say(`floor: produce→consume round trips on a scratch topic (a warm-up, then ${settings.floorSeconds}s one at a time and ${settings.floorSeconds}s from several senders)`);
  const broker = await measureBrokerFloor(description.kafka.brokers, settings.floorSeconds, cpuClock(brokerPids(description)));
  say(`  p50 ${broker.p50Ms} ms (p99 ${broker.p99Ms} ms) one at a time; ${broker.concurrentPerSecond}/s from ${broker.senders} senders, ${broker.cpuMsPerRoundTrip} CPU-ms each`);

  const stamp = Date.now();
  // Every process compiles its hot paths (V8, the broker's JVM) over its first thousands of requests, which cost
  // a freshly started stack up to half as much again per order: a sustained rate is measured on warm processes.
  // The broker floor above has warmed the broker.
  say(`warm-up: a sale of ${settings.warmUpBuyers} buyers with seats for most of them, not measured`);
  const warmRows = Math.max(1, Math.ceil((settings.warmUpBuyers * 2) / SEATS_PER_ROW));
  const warm = await api.publishShow(`Bench warm-up ${stamp}`, [{ code: 'W', rows: warmRows, seatsPerRow: SEATS_PER_ROW, priceTier: 'STD' }]);
  await api.waitUntilOnSale(warm.showId);
  await runBuyers(api, { showId: warm.showId, seatIds: warm.seatIds, buyers: settings.warmUpBuyers, seed: settings.seed, settleTimeoutMs: 120000, follow: settings.follow, onProgress: () => undefined });

  const rows = Math.ceil(settings.seats / SEATS_PER_ROW);
  const show = await api.publishShow(`Flash sale ${stamp}`, [{ code: 'A', rows, seatsPerRow: SEATS_PER_ROW, priceTier: 'STD' }]);
  await api.waitUntilOnSale(show.showId);
  const offered = settings.ratePerSecond ? `${settings.ratePerSecond} orders/s` : 'all at once';
  say(`sale: show ${show.showId}, ${show.seatIds.length} seats, ${settings.buyers} buyers, ${offered}, following orders by ${settings.follow === 'wait' ? 'long polls' : 'plain polls'}`);

  await signInBuyers(api, settings.buyers);
  const processes = stackProcesses(description);
  const cpuBefore = Object.fromEntries(Object.entries(processes).map(([id, pid]) => [id, treeCpuSeconds([pid])]));
  const ownBefore = ownCpuSeconds();
  const attempts = await runBuyers(api, {
    showId: show.showId,
    seatIds: show.seatIds,
    buyers: settings.buyers,
    ratePerSecond: settings.ratePerSecond,
    seed: settings.seed,
    settleTimeoutMs: 120000,
    follow: settings.follow,
    onProgress: (line) => say(`  ${line}`),
  });
  const byProcess = Object.fromEntries(Object.entries(processes).map(([id, pid]) => [id, round(treeCpuSeconds([pid]) - cpuBefore[id], 2)]));
  const loadGenerator = round(ownCpuSeconds() - ownBefore, 2);

  say('profile: reading the saga steps from outboxes and inboxes');
  const profile = await profileSaga(description.databases, attempts);
  say('invariants: checking the sale across every context and shard');
  const invariants = await settledInvariants(description, show.showId);

  const roles = processRoles(description);
  return summarize({ replicas, settings, offered, attempts, profile, invariants, floors: { commit, broker }, byProcess, roles, loadGenerator, seats: show.seatIds.length });
}

function summarize(r: {
  replicas: number | 'as running';
  settings: Settings;
  offered: string;
  attempts: Attempt[];
  profile: SagaProfile;
  invariants: Violation[];
  floors: { commit: CommitFloor; broker: BrokerFloor };
  byProcess: Record<string, number>;
  roles: Record<string, string>;
  loadGenerator: number;
  seats: number;
}): RunResult {
  const { attempts, profile, floors } = r;
  const confirmed = attempts.filter((a) => a.outcome === 'confirmed');
  const rejected = attempts.filter((a) => a.outcome === 'rejected');
  const errors: Record<string, number> = {};
  for (const a of attempts) {
    if (a.error) errors[a.error] = (errors[a.error] ?? 0) + 1;
    for (const [kind, n] of Object.entries(a.pollErrors)) errors[`poll ${kind}`] = (errors[`poll ${kind}`] ?? 0) + n;
  }
  const rejectionReasons: Record<string, number> = {};
  for (const a of rejected) rejectionReasons[a.rejectionReason ?? 'none'] = (rejectionReasons[a.rejectionReason ?? 'none'] ?? 0) + 1;

  // The sale runs from the first POST to the last order's settling transaction.
  const first = Math.min(...attempts.map((a) => a.postedAt));
  const settledTimes = Object.values(profile.settledAt).map((s) => s.at);
  const durationSeconds = settledTimes.length ? (Math.max(...settledTimes) - first) / 1000 : Number.NaN;
  const seatsSold = confirmed.reduce((n, a) => n + a.seatIds.length, 0);
  const exact = attempts.filter((a) => a.orderId && profile.settledAt[a.orderId]).map((a) => profile.settledAt[a.orderId!].at - a.postedAt);
  const observed = attempts.filter((a) => a.observedMs !== undefined).map((a) => a.observedMs!);
  const stackCpu = round(Object.values(r.byProcess).reduce((n, s) => n + s, 0), 2);
  const settledCount = settledTimes.length;
  const byRole: Record<string, number> = {};
  for (const [id, seconds] of Object.entries(r.byProcess)) byRole[r.roles[id] ?? id] = (byRole[r.roles[id] ?? id] ?? 0) + seconds;
  const cpuMsPerOrderByRole = Object.fromEntries(
    Object.entries(byRole)
      .sort((a, b) => b[1] - a[1])
      .map(([role, seconds]) => [role, round((seconds * 1000) / Math.max(1, settledCount), 1)]),
  );

  const tx = profile.perConfirmedOrder.transactions || 9;
  const hops = profile.perConfirmedOrder.brokerHops || 8;
  const latencyFloorMs = round(tx * floors.commit.p50Ms + hops * floors.broker.p50Ms);
  const commitCeiling = round(floors.commit.concurrentPerSecond / tx);
  const confirmedPerSecond = round(confirmed.length / durationSeconds);
  // Every order (confirmed or rejected) costs CPU; confirmed ones are the figure of merit.
  const cpuCeiling = round((cpus().length * confirmed.length) / Math.max(0.01, stackCpu));
  // A lower bound: the relays' own transactions and a fanned-out message's extra fetches are left out.
  const cpuFloorPerConfirmed = tx * floors.commit.cpuMsPerCommit + hops * floors.broker.cpuMsPerRoundTrip;
  const { produced, delivered } = profile.messages;
  const accepted = attempts.filter((a) => a.orderId).length;
  const floorCpuMs = (accepted + delivered) * floors.commit.cpuMsPerCommit + produced * floors.broker.cpuMsPerRoundTrip;
  const { settledAt: _settledAt, ...profileOut } = profile;
  return {
    replicas: r.replicas,
    seats: r.seats,
    buyers: r.settings.buyers,
    offered: r.offered,
    floors,
    orders: { posted: attempts.length, accepted, confirmed: confirmed.length, rejected: rejected.length, seatsSold, rejectionReasons, polls: attempts.reduce((n, a) => n + a.polls, 0) },
    errors,
    durationSeconds: round(durationSeconds, 2),
    confirmedPerSecond,
    seatsPerSecond: round(seatsSold / durationSeconds),
    latencyMs: { p50: round(percentile(exact, 50)), p95: round(percentile(exact, 95)), p99: round(percentile(exact, 99)) },
    observedLatencyMs: { p50: round(percentile(observed, 50)), p95: round(percentile(observed, 95)), p99: round(percentile(observed, 99)) },
    cpuSeconds: { stack: stackCpu, perThousandOrders: round((stackCpu * 1000) / Math.max(1, settledCount), 1), loadGenerator: r.loadGenerator, byProcess: r.byProcess },
    cpuMsPerOrderByRole,
    ceilings: {
      transactionsPerOrder: tx,
      brokerHopsPerOrder: hops,
      latencyFloorMs,
      commitCeilingOrdersPerSecond: commitCeiling,
      ofCommitCeiling: round(confirmedPerSecond / commitCeiling, 3),
      cpuCeilingOrdersPerSecond: cpuCeiling,
      ofCpuCeiling: round(confirmedPerSecond / cpuCeiling, 3),
      cpuFloorMsPerConfirmedOrder: round(cpuFloorPerConfirmed, 2),
      cpuFloorCeilingOrdersPerSecond: round((cpus().length * 1000) / Math.max(0.001, cpuFloorPerConfirmed)),
      floorShareOfStackCpu: round(floorCpuMs / Math.max(1, stackCpu * 1000), 3),
    },
    profile: profileOut,
    invariants: r.invariants,
  };
}

/** Tickets and ledger entries follow a confirmation asynchronously: give them time before calling a difference a violation. */
async function settledInvariants(description: StackDescription, showId: string): Promise<Violation[]> {
  const deadline = Date.now() + 60000;
  for (;;) {
    const violations = await checkInvariants({ databases: description.databases, bucketMap: description.bucketMap, showIds: [showId] });
    if (violations.length === 0 || Date.now() > deadline) return violations;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** Every process of the stack by id; their children (Postgres backends) are counted through the process tree. */
function failNoGateway(): never {
  throw new Error('the stack runs no gateway: the benchmark buys through it');
}

function consumerRate(r: RunResult, context: string): number {
  return r.profile.consumers.find((c) => c.context === context)?.perSecond ?? 0;
}

function report(runs: RunResult[]): string {
  const rows: (string | number)[][] = [['', ...runs.map((r) => `replicas ${r.replicas}`)]];
  const row = (label: string, value: (r: RunResult) => string | number) => rows.push([label, ...runs.map(value)]);
  row('orders posted / confirmed / rejected', (r) => `${r.orders.posted} / ${r.orders.confirmed} / ${r.orders.rejected}`);
  row('seats sold (of)', (r) => `${r.orders.seatsSold} (${r.seats})`);
  row('sale duration s', (r) => r.durationSeconds);
  row('confirmed orders/s', (r) => r.confirmedPerSecond);
  row('seats/s', (r) => r.seatsPerSecond);
  row('POST→settled p50/p95/p99 ms', (r) => `${r.latencyMs.p50} / ${r.latencyMs.p95} / ${r.latencyMs.p99}`);
  row('  as polled p50/p95/p99 ms', (r) => `${r.observedLatencyMs.p50} / ${r.observedLatencyMs.p95} / ${r.observedLatencyMs.p99}`);
  row('GET /orders/:id polls', (r) => r.orders.polls);
  row('errors', (r) => Object.entries(r.errors).map(([k, n]) => `${k}: ${n}`).join(', ') || 'none');
  row('stack CPU-s per 1000 orders', (r) => r.cpuSeconds.perThousandOrders);
  row('floor: commit p50 ms, per s', (r) => `${r.floors.commit.p50Ms}, ${r.floors.commit.concurrentPerSecond}`);
  row('floor: broker round trip p50 ms, per s', (r) => `${r.floors.broker.p50Ms}, ${r.floors.broker.concurrentPerSecond}`);
  row('floor: CPU ms per commit / round trip', (r) => `${r.floors.commit.cpuMsPerCommit} / ${r.floors.broker.cpuMsPerRoundTrip}`);
  row('saga: commits + hops per order', (r) => `${r.ceilings.transactionsPerOrder} + ${r.ceilings.brokerHopsPerOrder}`);
  row('latency floor ms (p50 vs floor)', (r) => `${r.ceilings.latencyFloorMs} (${round(r.latencyMs.p50 / r.ceilings.latencyFloorMs, 1)}×)`);
  row('commit ceiling orders/s (reached)', (r) => `${r.ceilings.commitCeilingOrdersPerSecond} (${round(r.ceilings.ofCommitCeiling * 100)}%)`);
  row('CPU ceiling orders/s (reached)', (r) => `${r.ceilings.cpuCeilingOrdersPerSecond} (${round(r.ceilings.ofCpuCeiling * 100)}%)`);
  row('CPU floor ms per confirmed order (ceiling/s)', (r) => `${r.ceilings.cpuFloorMsPerConfirmedOrder} (${r.ceilings.cpuFloorCeilingOrdersPerSecond})`);
  row('stack CPU at floor cost', (r) => `${round(r.ceilings.floorShareOfStackCpu * 100)}%`);
  row('saga messages/s handled: ordering', (r) => consumerRate(r, 'ordering'));
  row('  inventory / payments', (r) => `${consumerRate(r, 'inventory')} / ${consumerRate(r, 'payments')}`);
  row('invariants', (r) => (r.invariants.length === 0 ? 'hold' : `${r.invariants.length} VIOLATED`));
  const lines = [table(rows)];
  const one = runs.find((r) => r.replicas === 1);
  const two = runs.find((r) => r.replicas === 2);
  if (one && two) lines.push(`scaling 1 → 2 replicas of ordering and inventory: ×${round(two.confirmedPerSecond / one.confirmedPerSecond, 2)} confirmed orders/s`);
  for (const r of runs) {
    const roles = Object.entries(r.cpuMsPerOrderByRole).map(([role, ms]) => `${role} ${ms}`);
    lines.push(`CPU-ms per order, replicas ${r.replicas}: ${roles.join(' · ')}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const settings = settingsFromArgs(process.argv.slice(2), process.env);
  const runs: RunResult[] = [];
  if (settings.useRunning) {
    const description = JSON.parse(readFileSync(join(REPO_ROOT, settings.useRunning, 'stack.json'), 'utf8')) as StackDescription;
    say(`using the running stack in ${settings.useRunning}`);
    runs.push(await benchmarkOn(description, settings, 'as running'));
  } else {
    for (const replicas of settings.replicas) {
      say(`starting a stack in ${STATE_DIR} (port base ${settings.portBase}) with ${replicas} replica(s) of ordering and inventory, tracing ${settings.tracing ? 'on' : 'off'}`);
      const stack: RunningStack = await startStack({
        stateDir: STATE_DIR,
        portBase: settings.portBase,
        appReplicas: { ordering: replicas, inventory: replicas },
        tracing: settings.tracing,
        log: (line) => process.stdout.write(`[stack] ${line}\n`),
      });
      const stopOnSignal = () => void stack.stop().then(() => process.exit(130));
      process.once('SIGINT', stopOnSignal);
      try {
        runs.push(await benchmarkOn(stack.description, settings, replicas));
      } finally {
        process.off('SIGINT', stopOnSignal);
        await stack.stop();
      }
    }
  }

  const file = writeBenchResult('flash-sale', { settings, runs });
  process.stdout.write(`\n${report(runs)}\n\nresult: ${file}\n`);
  const violations = runs.flatMap((r) => r.invariants);
  for (const v of violations) process.stdout.write(`  [${v.rule}] ${v.detail}\n`);
  if (violations.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
