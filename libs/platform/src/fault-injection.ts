/**
 * TEST-ONLY settings honoured so that the fault suite (test/faults,
 * docs/reliability.md) can put a process in a state it cannot otherwise
 * reach on demand. Unset, as in every deployment, they change nothing.
 *
 * - CLOCK_OFFSET_MS: this process's wall clock runs that many milliseconds
 *   ahead (negative: behind), as on a machine whose clock drifted. Every
 *   reading of it moves: `Date.now()`, `new Date()`, and so the libraries
 *   that read them (token lifetimes, UUIDv7 message ids, log times, webhook
 *   timestamps). Monotonic timers (`performance.now()`, setTimeout) do not.
 * - FAULT_RELAY_CRASH: `after-read` or `after-publish`: the first outbox
 *   relay batch that reaches that point kills the process (SIGKILL, no
 *   shutdown hooks), as a crash there would.
 */
export const MAX_CLOCK_OFFSET_MS = 24 * 3600 * 1000;

export type RelayCrashPoint = 'after-read' | 'after-publish';

/** Shifts this process's wall clock by CLOCK_OFFSET_MS, if set; returns the offset applied. */
export function applyClockOffset(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CLOCK_OFFSET_MS;
  if (raw === undefined || raw === '' || raw === '0') return 0;
  const offset = Number(raw);
  if (!Number.isInteger(offset) || Math.abs(offset) > MAX_CLOCK_OFFSET_MS) {
    throw new Error(`Setting CLOCK_OFFSET_MS must be an integer from -${MAX_CLOCK_OFFSET_MS} to ${MAX_CLOCK_OFFSET_MS}, got "${raw}"`);
  }
  shiftWallClock(offset);
  return offset;
}

/** Replaces the global Date with one whose "now" is `offsetMs` away; any explicit date is left as given. */
export function shiftWallClock(offsetMs: number): void {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  const now = () => realNow() + offsetMs;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args: unknown[], newTarget: () => unknown) => Reflect.construct(target as () => unknown, args.length === 0 ? [now()] : args, newTarget) as object,
    // `Date()` called as a function answers the current time as a string.
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
  });
}

/** FAULT_RELAY_CRASH, if set: where the first outbox relay batch to get there kills the process. */
export function relayCrashPointFromEnv(env: NodeJS.ProcessEnv = process.env): RelayCrashPoint | undefined {
  const raw = env.FAULT_RELAY_CRASH;
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'after-read' && raw !== 'after-publish') throw new Error(`Setting FAULT_RELAY_CRASH must be after-read or after-publish, got "${raw}"`);
  return raw;
}

/** Dies as a crash would: no shutdown hooks, no flushing, nothing after this line runs. */
export function crashNow(why: string): never {
  // Written synchronously, so the test can tell where the process died.
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'fatal', msg: `fault injection: ${why}; killing the process` })}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL');
}
