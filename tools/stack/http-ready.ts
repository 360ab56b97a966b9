import * as http from 'http';
import { pollUntil } from './poll.js';

/** True when GET url answers 200 within the timeout. */
export function answers200(url: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      response.resume(); // drain, so the socket is freed
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/**
 * A supervised process's `ready`: GET `url` until it answers 200, every
 * `intervalMs`, for at most `timeoutMs` (the stack's app-ready timeout).
 */
export function readyWhenAnswers200(url: string, who: string, timeoutMs: number, intervalMs = 100): (signal: AbortSignal) => Promise<true> {
  return (signal) => pollUntil(() => answers200(url), { what: `${who} to answer 200 on ${url}`, timeoutMs, intervalMs, signal });
}
