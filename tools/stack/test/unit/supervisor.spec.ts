import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { eventually } from '../../../../libs/testing/src/eventually.js';
import { DEFAULT_RESTART_POLICY, NO_RESTARTS, type ProcessSpec, restartDelayMs, type RestartPolicy, Supervisor } from '../../supervisor.js';

/**
 * The launcher's restart policy on real (tiny) child processes: a crash is
 * restarted with backoff, a crash loop is given up on, and whatever the
 * launcher stops or kills on purpose stays down. The delays are shortened;
 * the stack's own are in DEFAULT_RESTART_POLICY.
 */
const FAST: RestartPolicy = { enabled: true, firstDelayMs: 20, maxDelayMs: 200, healthyAfterMs: 60_000, giveUpAfter: 3 };

describe('the supervisor', () => {
  let dir: string;
  let lines: string[];
  let supervisors: Supervisor[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-supervisor-'));
    lines = [];
    supervisors = [];
  });
  afterEach(async () => {
    for (const s of supervisors) await s.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const supervisor = (policy: RestartPolicy = FAST) => {
    const s = new Supervisor(path.join(dir, 'pids.json'), (line) => lines.push(line), () => {}, policy);
    supervisors.push(s);
    return s;
  };

  /** A node process running `script`; ready as soon as it is spawned. */
  const spec = (id: string, script: string): ProcessSpec => ({
    id,
    kind: 'app',
    label: id,
    command: process.execPath,
    args: ['-e', script],
    env: {},
    cwd: dir,
    logFile: path.join(dir, `${id}.log`),
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 5000,
    stopOrder: 0,
    ready: () => Promise.resolve(),
  });
  const RUNS = 'setInterval(() => {}, 1000)';
  const starts = (id: string) => fs.readFileSync(path.join(dir, `${id}.log`), 'utf8').split('stack launcher starts').length - 1;

  it('restarts a process killed from outside, and says so', async () => {
    const s = supervisor();
    const first = await s.start(spec('app', RUNS));
    process.kill(first, 'SIGKILL');
    const second = await eventually(() => {
      expect(lines.some((l) => l.startsWith('app is ready again'))).toBe(true);
      return s.pidOf('app');
    });
    expect(typeof second).toBe('number');
    expect(second).not.toBe(first);
    expect(s.stateOf('app')).toBe('running');
    expect(lines[0]).toMatch(/^app exited unexpectedly \(killed by SIGKILL\) after .*; restarting it in 0\.0 s \(crash 1 in a row; the launcher gives up at 3\)/);
  });

  it('gives up, loudly and with the log tail, on a process that keeps crashing soon after its start', async () => {
    const s = supervisor();
    await s.start(spec('loop', 'console.log("cannot bind"); process.exit(3)'));
    await eventually(() => expect(s.stateOf('loop')).toBe('gave-up'));
    const gaveUp = lines.find((l) => l.startsWith('GAVE UP on loop'));
    expect(gaveUp).toContain('crashed 3 times in a row');
    expect(gaveUp).toContain('last: exit code 3');
    expect(gaveUp).toContain('cannot bind');
    expect(lines.filter((l) => l.includes('restarting it in'))).toHaveLength(2);
    expect(starts('loop')).toBe(3);
    expect(s.pidOf('loop')).toBeUndefined();
  });

  it('doubles the delay with each crash in a row, up to its bound', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelayMs(DEFAULT_RESTART_POLICY, n))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('starts a new series after a process ran for its healthy period, so it is never given up on', async () => {
    const s = supervisor({ ...FAST, healthyAfterMs: 300 });
    await s.start(spec('late', 'setTimeout(() => process.exit(1), 400)'));
    await eventually(() => expect(lines.filter((l) => l.includes('(crash 1 in a row')).length).toBeGreaterThanOrEqual(4), { timeoutMs: 30_000 });
    expect(lines.some((l) => l.includes('crash 2 in a row') || l.startsWith('GAVE UP'))).toBe(false);
  });

  it('leaves a process stopped or killed through it down, until it is started again', async () => {
    const s = supervisor();
    await s.start(spec('stopped', RUNS));
    await s.start(spec('killed', RUNS));
    await s.stop('stopped');
    await s.kill('killed');
    // Decided when the process exits: no restart is pending, and nothing was reported.
    expect([s.stateOf('stopped'), s.stateOf('killed')]).toEqual(['stopped', 'stopped']);
    expect(lines).toEqual([]);

    await s.restart('killed');
    expect(s.stateOf('killed')).toBe('running');
    process.kill(s.pidOf('killed')!, 'SIGKILL');
    await eventually(() => expect(lines.some((l) => l.startsWith('killed is ready again'))).toBe(true));
  });

  it('never starts a retired (fenced) process again', async () => {
    const s = supervisor();
    await s.start(spec('pg:old-primary', RUNS));
    await s.retire('pg:old-primary', 'pg:old-primary was fenced by a failover');
    expect(s.stateOf('pg:old-primary')).toBe('retired');
    await expect(s.restart('pg:old-primary')).rejects.toThrow('fenced by a failover');
    expect(s.pidOf('pg:old-primary')).toBeUndefined();
  });

  it('cancels a pending restart when everything stops', async () => {
    const s = supervisor({ ...FAST, firstDelayMs: 60_000 });
    const pid = await s.start(spec('app', RUNS));
    process.kill(pid, 'SIGKILL');
    await eventually(() => expect(s.stateOf('app')).toBe('restarting'));
    await s.stopAll();
    expect(s.stateOf('app')).toBe('stopped');
    expect(s.pidOf('app')).toBeUndefined();
  });

  it('only reports a crash when restarts are off', async () => {
    const s = supervisor(NO_RESTARTS);
    const pid = await s.start(spec('app', RUNS));
    process.kill(pid, 'SIGKILL');
    await eventually(() => expect(lines).toEqual([expect.stringMatching(/^app exited unexpectedly \(killed by SIGKILL\); restarts are off, so it stays down/)]));
    expect(s.stateOf('app')).toBe('stopped');
  });
});
