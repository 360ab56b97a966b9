import { appendFileSync } from 'node:fs';
import { type Attempt, runBuyers } from '../../../bench/load.js';
import { checkInvariants, type Violation } from '../../../tools/invariants/check-invariants.js';
import { BoxofficeApi, queryDatabase, type RunningStackInfo } from '@boxoffice/testing';

/**
 * One fault scenario's sale: buyers from the flash-sale generator
 * (bench/load.ts) race for a show's seats at a steady rate while `fault`
 * breaks the stack; then every order must settle, a POST that failed must
 * succeed when retried with its own Idempotency-Key, each buyer must have
 * exactly one order, and the invariant checker must pass.
 */
export interface SaleSpec {
  /** Names the show and the result line. */
  scenario: string;
  buyers: number;
  seats: number;
  /** Orders started per second: the sale lasts buyers / rate seconds, long enough for the fault to land mid-saga. */
  ratePerSecond: number;
  /** Runs alongside the buyers, from the first POST on; the sale is over once both are done. What it returns goes into the result. */
  fault: (sale: SaleProgress) => Promise<Record<string, unknown> | void>;
  /** How long an order may take to settle, from its POST (the fault's outage included). */
  settleTimeoutMs?: number;
}

export interface SaleProgress {
  showId: string;
  /** How many POSTs have gone out so far. */
  posted(): number;
  /** Resolves once n POSTs have gone out. */
  untilPosted(n: number): Promise<void>;
  /** Resolves once every order posted so far has settled. */
  untilSettled(): Promise<void>;
}

export interface SaleOutcome {
  scenario: string;
  showId: string;
  buyers: number;
  accepted: number;
  confirmed: number;
  rejected: Record<string, number>;
  seatsSold: number;
  /** POSTs that failed during the fault (by kind) and were then retried with the same Idempotency-Key. */
  retried: Record<string, number>;
  /** Failures that a retry with the same key did not fix, or orders that never settled: must be empty. */
  unresolved: string[];
  /** Buyers with other than one order in ordering's database, and accepted orders it does not have: must be empty. */
  lostOrDuplicated: string[];
  durationSeconds: number;
  /** What the fault measured (e.g. how long a process was down). */
  fault: Record<string, unknown>;
  invariants: Violation[];
}

/** Seat races: the only rejections a sale with more demand than seats needs. Anything else is the fault's doing. */
export const RACE_REJECTIONS = new Set(['seats-unavailable']);

const SEATS_PER_ROW = 20;

export async function saleUnderFault(stack: RunningStackInfo, spec: SaleSpec): Promise<SaleOutcome> {
  const api = new BoxofficeApi(stack.gatewayUrl);
  const started = Date.now();
  const { showId, seatIds } = await api.publishShow(`${spec.scenario} ${started}`, [
    { code: 'F', rows: Math.ceil(spec.seats / SEATS_PER_ROW), seatsPerRow: SEATS_PER_ROW, priceTier: 'STD' },
  ]);
  await api.waitUntilOnSale(showId);
  const settleTimeoutMs = spec.settleTimeoutMs ?? 240_000;

  let attempts: Attempt[] = [];
  const progressLines: string[] = [];
  const buying = runBuyers(api, {
    showId,
    seatIds,
    buyers: spec.buyers,
    ratePerSecond: spec.ratePerSecond,
    seed: 7,
    settleTimeoutMs,
    follow: 'wait',
    onProgress: (line) => progressLines.push(line),
  }).then((done) => (attempts = done));
  const seen = progressView(showId, () => progressLines.at(-1));
  const fault = spec.fault(seen);
  const [bought, faulted] = await Promise.allSettled([buying, fault]);
  if (faulted.status === 'rejected') throw faulted.reason;
  if (bought.status === 'rejected') throw bought.reason;
  const faultFigures = faulted.value ?? {};

  // A client whose POST failed (the gateway or an upstream was down) sends it again with the same key.
  const retried: Record<string, number> = {};
  const unresolved: string[] = [];
  await Promise.all(
    attempts.map(async (attempt) => {
      if (attempt.orderId === undefined) {
        if (attempt.error === undefined || !isTransient(attempt.error)) return void unresolved.push(`${attempt.buyer}: POST answered ${attempt.error ?? 'nothing'}`);
        retried[attempt.error] = (retried[attempt.error] ?? 0) + 1;
        const orderId = await retryPost(api, showId, attempt);
        if (orderId === undefined) return void unresolved.push(`${attempt.buyer}: the retried POST still failed`);
        attempt.orderId = orderId;
      }
      if (attempt.outcome === undefined) {
        try {
          const view = await api.settledOrder(attempt.buyer, attempt.orderId, Math.max(30_000, settleTimeoutMs - (Date.now() - attempt.postedAt)));
          attempt.outcome = view.status;
          attempt.rejectionReason = view.rejectionReason;
        } catch {
          unresolved.push(`${attempt.buyer}: order ${attempt.orderId} did not settle`);
        }
      }
    }),
  );

  const lostOrDuplicated = await compareWithOrdering(stack, showId, attempts);
  const invariants = await settledInvariants(stack, showId);
  const confirmed = attempts.filter((a) => a.outcome === 'confirmed');
  const rejected: Record<string, number> = {};
  for (const a of attempts.filter((a) => a.outcome === 'rejected')) rejected[a.rejectionReason ?? 'none'] = (rejected[a.rejectionReason ?? 'none'] ?? 0) + 1;
  const outcome: SaleOutcome = {
    scenario: spec.scenario,
    showId,
    buyers: spec.buyers,
    accepted: attempts.filter((a) => a.orderId).length,
    confirmed: confirmed.length,
    rejected,
    seatsSold: confirmed.reduce((n, a) => n + a.seatIds.length, 0),
    retried,
    unresolved,
    lostOrDuplicated,
    durationSeconds: seconds(Date.now() - started),
    fault: faultFigures,
    invariants,
  };
  record(outcome);
  return outcome;
}

/** ORDER_STEP_TIMEOUT_SECONDS as the fault stacks run it (the default): the outage bound of docs/saga.md. */
export const STEP_DEADLINE_SECONDS = 30;
/** What a step waits beyond the outage itself: the restarted part rejoining its group and working off the backlog. */
export const CATCH_UP_MARGIN_SECONDS = 10;
/** The reasons an order gives up for when its first or second step outlived its deadline. */
export const TIMEOUT_REJECTIONS = new Set(['payment-timeout', 'seat-hold-timeout']);

/**
 * The rejections an outage of `outageSeconds` may cause: none when it stayed under the bound (with the margin
 * for catching up), step time-outs when it did not, and never anything else.
 */
export function rejectionsBeyondTheBound(outcome: SaleOutcome, outageSeconds: number): Record<string, number> {
  const withinBound = outageSeconds + CATCH_UP_MARGIN_SECONDS < STEP_DEADLINE_SECONDS;
  return Object.fromEntries(Object.entries(nonRaceRejections(outcome)).filter(([reason]) => withinBound || !TIMEOUT_REJECTIONS.has(reason)));
}

/** Milliseconds as seconds with one decimal, for results. */
export function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** Rejections other than seat races, e.g. `{ 'payment-timeout': 3 }`. */
export function nonRaceRejections(outcome: SaleOutcome): Record<string, number> {
  return Object.fromEntries(Object.entries(outcome.rejected).filter(([reason]) => !RACE_REJECTIONS.has(reason)));
}

/** Adds a line about the scenario (its own figures) to the suite's results, which docs/reliability.md quotes. */
export function record(entry: object): void {
  const file = process.env.BOXOFFICE_FAULT_RESULTS;
  const line = JSON.stringify({ at: new Date().toISOString(), ...entry });
  process.stdout.write(`[faults] ${line}\n`);
  if (file) appendFileSync(file, `${line}\n`);
}

function progressView(showId: string, last: () => string | undefined): SaleProgress {
  const posted = () => Number(/posted (\d+)/.exec(last() ?? '')?.[1] ?? 0);
  const wait = async (done: () => Promise<boolean> | boolean, what: string) => {
    const deadline = Date.now() + 300_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  return {
    showId,
    posted,
    untilPosted: (n) => wait(() => posted() >= n, `${n} orders were posted`),
    untilSettled: () =>
      wait(() => {
        const line = last() ?? '';
        const [accepted, confirmed, rejected] = ['accepted', 'confirmed', 'rejected'].map((word) => Number(new RegExp(`${word} (\\d+)`).exec(line)?.[1] ?? -1));
        return accepted >= 0 && confirmed + rejected >= accepted;
      }, 'every order posted so far settled'),
  };
}

/** Connection refused or reset, a timeout, 502/503/504: what a client retries. */
function isTransient(error: string): boolean {
  return /^(network|timeout|http-50[234])/.test(error);
}

async function retryPost(api: BoxofficeApi, showId: string, attempt: Attempt): Promise<string | undefined> {
  for (let i = 0; i < 30; i++) {
    try {
      const response = await api.placeOrder(attempt.buyer, { showId, seatIds: attempt.seatIds }, attempt.idempotencyKey);
      if (response.status === 201 || response.status === 202 || response.status === 200) return response.body.orderId;
      if (!isTransient(`http-${response.status}`)) return undefined;
    } catch {
      // Still down: wait and send it again, as a client would.
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return undefined;
}

/** Every buyer has one order for the show, and it is the one the client was given. */
async function compareWithOrdering(stack: RunningStackInfo, showId: string, attempts: Attempt[]): Promise<string[]> {
  const rows = (
    await Promise.all(
      stack.databases.ordering.map((shard) =>
        queryDatabase<{ order_id: string; customer_id: string }>(shard.primary, 'SELECT order_id, customer_id FROM orders WHERE show_id = $1', [showId]),
      ),
    )
  ).flat();
  const problems: string[] = [];
  const byCustomer = new Map<string, string[]>();
  for (const row of rows) byCustomer.set(row.customer_id, [...(byCustomer.get(row.customer_id) ?? []), row.order_id]);
  for (const [customer, orders] of byCustomer) if (orders.length > 1) problems.push(`${customer} has ${orders.length} orders: ${orders.join(', ')}`);
  const stored = new Set(rows.map((r) => r.order_id));
  for (const a of attempts) if (a.orderId && !stored.has(a.orderId)) problems.push(`${a.buyer}: accepted order ${a.orderId} is not in ordering's database`);
  return problems;
}

/** Tickets and ledger entries follow a confirmation asynchronously: give them time before calling a difference a violation. */
async function settledInvariants(stack: RunningStackInfo, showId: string): Promise<Violation[]> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const violations = await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds: [showId] });
    if (violations.length === 0 || Date.now() > deadline) return violations;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
