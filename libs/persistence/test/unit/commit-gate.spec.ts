import { CommitGate } from '../../src/commit-gate.js';

/** The circuit breaker that keeps stalled commits from piling up waiting sessions. */
describe('CommitGate', () => {
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
  };

  it('is open until a commit times out', () => {
    expect(new CommitGate().isStalled).toBe(false);
  });

  it('stays shut while the probe cannot commit, and opens when it does', async () => {
    const gate = new CommitGate(1);
    let probes = 0;
    gate.stall(async () => ++probes >= 3);
    expect(gate.isStalled).toBe(true);
    await until(() => !gate.isStalled);
    expect(probes).toBe(3);
    gate.close();
  });

  it('runs one probe loop however many commits time out, and counts a failing probe as not committed', async () => {
    const gate = new CommitGate(1);
    let running = 0;
    let mostAtOnce = 0;
    let calls = 0;
    const probe = async () => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running -= 1;
      calls += 1;
      if (calls === 1) throw new Error('primary unreachable');
      return calls >= 4;
    };
    for (let i = 0; i < 5; i++) gate.stall(probe);
    await until(() => !gate.isStalled);
    expect(mostAtOnce).toBe(1);
    expect(calls).toBe(4);
    gate.close();
  });

  it('starts no probe once closed, not even the one it was waiting to run', async () => {
    const gate = new CommitGate(1);
    let calls = 0;
    gate.stall(async () => {
      calls += 1;
      return false;
    });
    await until(() => calls > 0);
    gate.close();
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(after);
  });
});
