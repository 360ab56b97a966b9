import { createRequire } from 'node:module';
import { fixKafkajsIdleTimer } from '../../src/kafka/kafkajs-idle-timer-fix.js';

/** kafkajs's request queue, as the fix sees it: the state that decides whether a check is scheduled. */
interface QueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
}

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: { scheduleCheckPendingRequests(this: QueueState): void } };
const schedule = (state: QueueState) => RequestQueue.prototype.scheduleCheckPendingRequests.call(state);

describe('the kafkajs idle timer fix', () => {
  beforeAll(() => fixKafkajsIdleTimer());

  it('schedules nothing when no request waits and the broker does not throttle (stock kafkajs re-arms a 1 ms timer)', () => {
    const idle: QueueState = { pending: [], throttledUntil: -1, throttleCheckTimeoutId: null };
    schedule(idle);
    expect(idle.throttleCheckTimeoutId).toBeNull();
  });

  it('still schedules a check while requests wait, or while throttled', () => {
    for (const state of [
      { pending: [{}], throttledUntil: -1, throttleCheckTimeoutId: null },
      { pending: [], throttledUntil: Date.now() + 60_000, throttleCheckTimeoutId: null },
    ] as QueueState[]) {
      schedule(state);
      expect(state.throttleCheckTimeoutId).not.toBeNull();
      clearTimeout(state.throttleCheckTimeoutId!);
    }
  });

  it('is applied once, however many clients are configured', () => {
    const patched = RequestQueue.prototype.scheduleCheckPendingRequests;
    fixKafkajsIdleTimer();
    expect(RequestQueue.prototype.scheduleCheckPendingRequests).toBe(patched);
  });
});
