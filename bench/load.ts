import { randomUUID } from 'node:crypto';
import { type BoxofficeApi, type OrderView } from '../libs/testing/src/boxoffice-api.js';
import { seededRandom } from './stats.js';

/** One buyer's attempt, from the POST to the state the order settled in. */
export interface Attempt {
  buyer: string;
  seatIds: string[];
  /** The POST's Idempotency-Key: a retry with it gets the same order, never a second one. */
  idempotencyKey: string;
  /** Wall clock (ms since epoch) just before the POST went out. */
  postedAt: number;
  /** When the POST was answered, ms after postedAt (with `follow: 'wait'`, often with the outcome). */
  acceptedMs?: number;
  orderId?: string;
  /** confirmed | rejected | refunded, or absent when the order never settled or was never accepted. */
  outcome?: string;
  rejectionReason?: string | null;
  /** When the buyer first saw the order settled, ms after postedAt. */
  observedMs?: number;
  /** GET /orders/:id requests this buyer made while waiting (long polls or plain ones). */
  polls: number;
  /** Polls that failed, by kind; the buyer keeps asking, as a real client would. */
  pollErrors: Record<string, number>;
  /** Why the order has no outcome, by kind: `http-<status>[:<problem type>]` or `network` or `timeout` on the POST, `not-settled-in-time`. */
  error?: string;
}

export interface LoadOptions {
  showId: string;
  seatIds: string[];
  buyers: number;
  /** Orders started per second; undefined: every buyer at once. */
  ratePerSecond?: number;
  seed: number;
  settleTimeoutMs: number;
  /**
   * How a buyer follows an order to its outcome: `wait`, the POST and then
   * long polls carry `Prefer: wait` (one request per order as a rule);
   * `poll`, plain GETs with backoff, as a client that ignores it would.
   */
  follow: 'wait' | 'poll';
  onProgress: (line: string) => void;
}

/** Under the test client's 15 s request timeout, with room for the gateway's margin. */
const LONG_POLL_SECONDS = 10;

/**
 * Each buyer wants 1–4 adjacent seats from a random place in the house, so
 * with more demand than seats many reach for the same ones. Buyers named
 * `decline…` would have their payments declined: none here, every loss is a race.
 */
export function planBuyers(o: Pick<LoadOptions, 'seatIds' | 'buyers' | 'seed'>): { buyer: string; seatIds: string[] }[] {
  const random = seededRandom(o.seed);
  return Array.from({ length: o.buyers }, (_, i) => {
    const count = 1 + Math.floor(random() * 4);
    const start = Math.floor(random() * (o.seatIds.length - count + 1));
    return { buyer: buyerName(i), seatIds: o.seatIds.slice(start, start + count) };
  });
}

/**
 * Gets every buyer's token (the client keeps it). Call it before measuring:
 * the sale is about orders, not logins, so neither the race nor the CPU
 * counted for it should include them.
 */
export async function signInBuyers(api: BoxofficeApi, buyers: number): Promise<void> {
  await Promise.all(Array.from({ length: buyers }, (_, i) => api.authHeaders(buyerName(i))));
}

function buyerName(index: number): string {
  return `bench-buyer-${index}`;
}

export async function runBuyers(api: BoxofficeApi, o: LoadOptions): Promise<Attempt[]> {
  const plan = planBuyers(o);
  await signInBuyers(api, o.buyers);
  const attempts: Attempt[] = [];
  const tell = () =>
    o.onProgress(
      `posted ${attempts.length}/${o.buyers}, accepted ${attempts.filter((a) => a.orderId).length}, ` +
        `confirmed ${attempts.filter((a) => a.outcome === 'confirmed').length}, rejected ${attempts.filter((a) => a.outcome === 'rejected').length}, ` +
        `errors ${attempts.filter((a) => a.error).length}, failed polls ${attempts.reduce((n, a) => n + Object.values(a.pollErrors).reduce((m, k) => m + k, 0), 0)}`,
    );
  const progress = setInterval(tell, 2000);
  const started = Date.now();
  try {
    await Promise.all(
      plan.map(async (p, i) => {
        if (o.ratePerSecond) await sleep(started + (i * 1000) / o.ratePerSecond - Date.now());
        const attempt: Attempt = { buyer: p.buyer, seatIds: p.seatIds, idempotencyKey: randomUUID(), postedAt: Date.now(), polls: 0, pollErrors: {} };
        attempts.push(attempt);
        await buy(api, o, attempt);
      }),
    );
  } finally {
    clearInterval(progress);
  }
  tell();
  return attempts;
}

async function buy(api: BoxofficeApi, o: LoadOptions, attempt: Attempt): Promise<void> {
  const waiting = o.follow === 'wait' ? { waitSeconds: LONG_POLL_SECONDS } : {};
  let response;
  try {
    response = await api.placeOrder(attempt.buyer, { showId: o.showId, seatIds: attempt.seatIds }, attempt.idempotencyKey, waiting);
  } catch (err) {
    attempt.error = errorKind(err);
    return;
  }
  attempt.acceptedMs = Date.now() - attempt.postedAt;
  if (response.status !== 202 && response.status !== 201) {
    attempt.error = `http-${response.status}${problemType(response.body)}`;
    return;
  }
  attempt.orderId = response.body.orderId;
  if (response.body.settled) {
    settle(attempt, response.body);
    return;
  }
  let delay = 150;
  while (Date.now() - attempt.postedAt < o.settleTimeoutMs) {
    // Plain polls back off: the gateway serves the buyers, not the benchmark's impatience.
    if (o.follow === 'poll') await sleep(delay);
    delay = Math.min(delay * 1.5, 1500);
    attempt.polls++;
    let failure: string | undefined;
    try {
      const view = await api.order(attempt.buyer, attempt.orderId, waiting);
      if (view.status === 200 && view.body.settled) return settle(attempt, view.body);
      if (view.status !== 200) failure = `http-${view.status}${problemType(view.body)}`;
    } catch (err) {
      failure = errorKind(err);
    }
    if (failure !== undefined) {
      countPollError(attempt, failure);
      // A long poll that fails at once must not become a tight loop.
      if (o.follow === 'wait') await sleep(delay);
    }
  }
  attempt.error = 'not-settled-in-time';
}

function settle(attempt: Attempt, order: OrderView): void {
  attempt.outcome = order.status;
  attempt.rejectionReason = order.rejectionReason;
  attempt.observedMs = Date.now() - attempt.postedAt;
}

function countPollError(attempt: Attempt, kind: string): void {
  attempt.pollErrors[kind] = (attempt.pollErrors[kind] ?? 0) + 1;
}

function problemType(body: unknown): string {
  const type = (body as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? `:${type.split(/[/:]/).pop()}` : '';
}

function errorKind(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return 'timeout';
  return `network${e?.cause?.code ? `-${e.cause.code}` : ''}`;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
