import { CommitGate } from '../../src/commit-gate.js';

/** The circuit breaker that keeps stalled commits from piling up waiting sessions. */
describe('CommitGate', () => {
  let now = 0;
  const gate = () => new CommitGate(5000, () => now);
  beforeEach(() => (now = 1_000_000));

  it('lets every write through while commits are confirmed', () => {
    const g = gate();
    expect([g.admit(), g.admit()]).toEqual(['open', 'open']);
    g.settle('open', 'committed');
    expect(g.isStalled).toBe(false);
  });

  it('after a commit timed out, refuses writes until the trial interval has passed, then lets exactly one try', () => {
    const g = gate();
    g.settle(g.admit() as 'open', 'timed-out');
    expect(g.admit()).toBe('refused');
    now += 5000;
    expect(g.admit()).toBe('trial');
    expect(g.admit()).toBe('refused'); // one trial at a time
  });

  it('stays shut when the trial times out too, and opens when a trial commits', () => {
    const g = gate();
    g.settle(g.admit() as 'open', 'timed-out');
    now += 5000;
    g.settle(g.admit() as 'trial', 'timed-out');
    expect(g.admit()).toBe('refused');
    now += 5000;
    g.settle(g.admit() as 'trial', 'committed');
    expect(g.admit()).toBe('open');
  });

  it('frees the trial slot when the trial failed for another reason, without opening', () => {
    const g = gate();
    g.settle(g.admit() as 'open', 'timed-out');
    now += 5000;
    g.settle(g.admit() as 'trial', 'failed');
    expect(g.isStalled).toBe(true);
    expect(g.admit()).toBe('trial');
  });

  it('opens when a write admitted before the stall commits after it', () => {
    const g = gate();
    const early = g.admit() as 'open';
    g.settle(g.admit() as 'open', 'timed-out');
    g.settle(early, 'committed');
    expect(g.admit()).toBe('open');
  });
});
