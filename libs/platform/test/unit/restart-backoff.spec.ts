import { RestartBackoff } from '../../src/kafka/restart-backoff.js';

/** The delays before a crashed consumer is started again (ADR 0029). */
describe('RestartBackoff', () => {
  const policy = { firstDelayMs: 1000, maxDelayMs: 30_000, calmAfterMs: 60_000 };

  it('doubles the delay for each crash in a row, up to the bound', () => {
    let now = 0;
    const backoff = new RestartBackoff(policy, () => now);
    const delays: number[] = [];
    for (let crash = 0; crash < 8; crash++) {
      const { delayMs } = backoff.crashed();
      delays.push(delayMs);
      now += delayMs;
      backoff.restarted();
      now += 100;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts a new series after a consumer ran calmly since its last restart', () => {
    let now = 0;
    const backoff = new RestartBackoff(policy, () => now);
    backoff.crashed();
    backoff.restarted();
    now += 10;
    expect(backoff.crashed()).toEqual({ delayMs: 2000, crashesInARow: 2 });
    backoff.restarted();
    now += policy.calmAfterMs;
    expect(backoff.crashed()).toEqual({ delayMs: 1000, crashesInARow: 1 });
  });
});
