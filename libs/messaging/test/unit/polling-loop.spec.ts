import { PollingLoop } from '../../src/polling-loop.js';

/**
 * A relay is woken after every local commit and otherwise polls slowly; a
 * wake must never be lost, or a message waits a whole idle interval. The
 * idle interval here is an hour: a lost wake fails the test by its timeout.
 */
const AN_HOUR = 3_600_000;

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('PollingLoop', () => {
  it('cuts a sleep short when woken', async () => {
    const rounds: (() => void)[] = [];
    const second = deferred();
    const loop = new PollingLoop(
      async () => {
        rounds.push(() => undefined);
        if (rounds.length === 2) second.resolve();
        return 0;
      },
      { idleMillis: AN_HOUR },
    );
    loop.start();
    await new Promise((resolve) => setImmediate(resolve));
    loop.wake();
    await second.promise;
    await loop.stop();
    expect(rounds).toHaveLength(2);
  });

  it('runs another round at once when woken while a round was running, since that round may have missed the new work', async () => {
    const firstStarted = deferred();
    const finishFirst = deferred<number>();
    const second = deferred();
    let calls = 0;
    const loop = new PollingLoop(
      () => {
        calls += 1;
        if (calls === 1) {
          firstStarted.resolve();
          return finishFirst.promise;
        }
        second.resolve();
        return Promise.resolve(0);
      },
      { idleMillis: AN_HOUR },
    );
    loop.start();
    await firstStarted.promise;
    loop.wake(); // a commit lands while the first round is still reading
    finishFirst.resolve(0); // ...and that round found nothing
    await second.promise;
    await loop.stop();
    expect(calls).toBe(2);
  });

  it('goes on at once while it finds work, and stops after the round in flight', async () => {
    let calls = 0;
    const third = deferred();
    const loop = new PollingLoop(
      async () => {
        calls += 1;
        if (calls === 3) third.resolve();
        return calls < 3 ? 1 : 0;
      },
      { idleMillis: AN_HOUR },
    );
    loop.start();
    await third.promise;
    await loop.stop();
    expect(calls).toBe(3);
  });
});

describe('PollingLoop that takes everything up to a limit', () => {
  it('sleeps after a round that was not full (it took everything there was), and goes on after a full one', async () => {
    const results = [10, 10, 3];
    let calls = 0;
    const third = deferred();
    const loop = new PollingLoop(
      async () => {
        calls += 1;
        if (calls === 3) third.resolve();
        return results[calls - 1] ?? 0;
      },
      { idleMillis: AN_HOUR, moreAfter: (done) => done >= 10 },
    );
    loop.start();
    await third.promise;
    // A fourth round would come only after an hour, or a wake: give it every chance to run early.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await loop.stop();
    expect(calls).toBe(3);
  });
});
