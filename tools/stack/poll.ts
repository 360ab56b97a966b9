/**
 * Readiness is always polled with short intervals and a deadline; fixed sleeps
 * either waste time or are too short on a busy 2-core machine.
 */
export class AbortedError extends Error {
  override name = 'AbortedError';
  constructor() {
    super('Start interrupted.');
  }
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortedError();
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PollOptions {
  /** Used in the timeout message: "postgres shard 0 primary to accept connections". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Calls `check` until it returns a value other than undefined/false.
 * A throwing check counts as "not yet"; its last error ends up in the timeout message.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined | false>, o: PollOptions): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  let lastError: unknown;
  for (;;) {
    throwIfAborted(o.signal);
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${o.timeoutMs / 1000} s waiting for ${o.what}${why}.`);
    }
    await delay(o.intervalMs ?? 100, o.signal);
  }
}

/**
 * Like Promise.all, but waits for every promise to settle before throwing the
 * first error, so nothing is still starting processes while we clean up.
 */
export async function allSettledOrThrow<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
