import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { poll } from '../../src/app/polling';

/** The one polling loop of the console's views (useOpsFeed.ts, OrdersPerSecond.tsx), on jest's fake clock. */
describe('poll', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** A read that stays pending until the test answers it. */
  function pendingReads() {
    const started: { signal: AbortSignal; answer: () => void; fail: (error: Error) => void }[] = [];
    const read = (signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        started.push({ signal, answer: resolve, fail: reject });
      });
    return { started, read };
  }

  it('reads at once, then again the interval after each answer, never two at once', async () => {
    const { started, read } = pendingReads();
    const stop = poll(read, 3000);
    expect(started).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(started).toHaveLength(1); // the first has not answered: no second read piles up
    started[0]!.answer();
    await jest.advanceTimersByTimeAsync(2999);
    expect(started).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(started).toHaveLength(2);
    stop();
  });

  it('reads again after a read that throws', async () => {
    const { started, read } = pendingReads();
    const stop = poll(read, 1000);
    started[0]!.fail(new Error('service unavailable'));
    await jest.advanceTimersByTimeAsync(1000);
    expect(started).toHaveLength(2);
    stop();
  });

  it('once stopped, aborts the read in flight and reads no more', async () => {
    const { started, read } = pendingReads();
    const stop = poll(read, 1000);
    started[0]!.answer();
    await jest.advanceTimersByTimeAsync(1000);
    expect(started).toHaveLength(2);
    stop();
    expect(started[1]!.signal.aborted).toBe(true);
    started[1]!.answer();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(started).toHaveLength(2);
  });

  it('once stopped between reads, reads no more', async () => {
    const { started, read } = pendingReads();
    const stop = poll(read, 1000);
    started[0]!.answer();
    await jest.advanceTimersByTimeAsync(500);
    stop();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(started).toHaveLength(1);
  });
});
