import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 (its latest release) keeps every broker connection's request
 * queue on a 1 ms timer for ever once the first request went out:
 * `scheduleCheckPendingRequests` re-arms itself with a negative delay even
 * when nothing is pending and nothing is throttled, so every idle Kafka
 * client keeps burning CPU (how much: BENCHMARKS.md). This puts the missing
 * condition back: a check is scheduled only while requests wait or the broker
 * throttles us. ADR 0013 says why this lives here and when to remove it.
 */
export const KAFKAJS_VERSION_FIXED = '2.2.4';

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
}

let applied = false;

export function fixKafkajsIdleTimer(): void {
  if (applied) return;
  applied = true;
  // kafkajs is CommonJS: this is the same module instance that `import 'kafkajs'` and Nest's transport load.
  const require = createRequire(import.meta.url);
  const version = (require('kafkajs/package.json') as { version: string }).version;
  if (version !== KAFKAJS_VERSION_FIXED) {
    throw new Error(`kafkajs ${version} is not the version whose idle timer this fix knows (${KAFKAJS_VERSION_FIXED}): check the fix and update it, or remove it (ADR 0013)`);
  }
  const { prototype } = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueue };
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
    if (this.pending.length === 0 && !(this.throttledUntil > Date.now())) return;
    schedule.call(this);
  };
}
