import { type ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { indent, logTail } from './log-tail.js';
import { displayPath } from './paths.js';
import { type ProcessKind, type RegisteredProcess, writePidFile } from './pid-registry.js';
import { AbortedError } from './poll.js';
import { killTree, processStartTime, signalGroup, signalProcess } from './process-table.js';
import { seconds } from './progress.js';

/** Everything needed to (re)start one child and to tell when it serves. */
export interface ProcessSpec {
  /** e.g. app:inventory-1, pg:shard0-node1, kafka:0 */
  id: string;
  kind: ProcessKind;
  /** For messages: "postgres shard 0 node 0". */
  label: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Postgres refuses to run as root, so it gets another user. */
  uid?: number;
  gid?: number;
  logFile: string;
  stopSignal: NodeJS.Signals;
  /** After this, SIGKILL to the whole process group. */
  stopTimeoutMs: number;
  /** Lower stops first: apps, then Kafka, then Postgres standbys, then primaries. */
  stopOrder: number;
  /** Resolves once the process serves. Polls; honours the abort signal. */
  ready(signal: AbortSignal): Promise<unknown>;
}

/**
 * What happens when a child exits on its own (ADR 0021): it is started again
 * after a delay that doubles with each crash in a row, as Docker's
 * `restart: unless-stopped` does, but a crash loop is given up on rather
 * than retried for ever. A process stopped or killed through the launcher
 * (`stop`, `kill`, a failover's fencing) is never restarted by this.
 */
export interface RestartPolicy {
  /** False: a crashed process stays down, and the launcher only says so. */
  enabled: boolean;
  /** Delay before the first restart; doubled for each further crash in a row. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A process that ran at least this long before it crashed starts a new series: its crash was not part of a loop. */
  healthyAfterMs: number;
  /** The crash in a row (each sooner than healthyAfterMs after its start) at which the process is left down. */
  giveUpAfter: number;
}

/** 1 s, 2 s, 4 s, 8 s, then it gives up at the fifth crash in a row, about a minute after the first. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { enabled: true, firstDelayMs: 1000, maxDelayMs: 30_000, healthyAfterMs: 60_000, giveUpAfter: 5 };

export const NO_RESTARTS: RestartPolicy = { ...DEFAULT_RESTART_POLICY, enabled: false };

/** How long before restart number `crashes` in a row. */
export function restartDelayMs(policy: RestartPolicy, crashes: number): number {
  return Math.min(policy.firstDelayMs * 2 ** (crashes - 1), policy.maxDelayMs);
}

/**
 * running: up (or starting at the launcher's request); restarting: crashed and
 * waiting for its restart, or being restarted; stopped: never started, or
 * stopped or killed on purpose; gave-up: crashed too often in a row; retired:
 * fenced, never to start again in this run.
 */
export type SupervisedState = 'running' | 'restarting' | 'stopped' | 'gave-up' | 'retired';

/** One child process while it lives. */
interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  pid: number;
  startTime?: number;
  startedAt: number;
  /** Where its log stood when it started: the tail printed after a failure is this run's. */
  logOffset: number;
  exited: Promise<string>;
  /** An explicit start() is waiting for it: an exit is that caller's failure to report, not a crash. */
  startedByCaller: boolean;
  /** The launcher is stopping it: its exit is expected. */
  stopping: boolean;
}

/** What the launcher wants of one process, across its runs. */
interface Supervised {
  spec: ProcessSpec;
  /** Set by start(); cleared by stop(), kill(), retire() and by giving up. Only a wanted process is restarted. */
  wanted: boolean;
  /** Crashes in a row, each soon after its start. */
  crashes: number;
  gaveUp: boolean;
  /** Why it may never start again (a primary fenced by a failover). */
  retired?: string;
  /** A restart waiting for its delay. */
  pendingRestart?: NodeJS.Timeout;
  /** A restart under way: aborted by a stop, a kill, or stopping everything. */
  restarting?: AbortController;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

function within<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Owns the child processes: spawns each detached (its own process group, so a
 * terminal Ctrl-C reaches only the launcher), logs to a file, tracks pids in
 * pids.json, restarts those that crash (RestartPolicy), and stops them in order.
 */
export class Supervisor {
  private readonly supervised = new Map<string, Supervised>();
  private readonly running = new Map<string, Running>();
  /** Set by stopAll(): nothing is restarted any more. */
  private closing = false;

  constructor(
    private readonly pidsFile: string,
    /** The launcher's console: crashes, restarts and giving up are reported here. */
    private readonly report: (line: string) => void,
    /** Called after any start or stop, e.g. to refresh pids in stack.json. */
    private readonly onChange: () => void = () => {},
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
  ) {}

  pidOf(id: string): number | undefined {
    return this.running.get(id)?.pid;
  }

  knownIds(): string[] {
    return [...this.supervised.keys()];
  }

  stateOf(id: string): SupervisedState {
    const s = this.supervised.get(id);
    if (!s) throw new Error(`Unknown process "${id}"; known: ${this.knownIds().join(', ')}.`);
    if (s.retired) return 'retired';
    if (s.gaveUp) return 'gave-up';
    if (s.pendingRestart || s.restarting) return 'restarting';
    return s.wanted && this.running.has(id) ? 'running' : 'stopped';
  }

  /**
   * Spawns the process and waits until it is ready; from then on a crash
   * restarts it. On failure it is stopped, and the error carries its log tail.
   */
  async start(spec: ProcessSpec, signal?: AbortSignal): Promise<number> {
    const s = this.supervised.get(spec.id) ?? { spec, wanted: false, crashes: 0, gaveUp: false };
    this.supervised.set(spec.id, s);
    if (s.retired) throw new Error(s.retired);
    // Also while a restart after a crash is under way: it is running, and will say when it is ready.
    if (this.running.has(spec.id)) throw new Error(`${spec.label} (${spec.id}) is already running.`);
    this.cancelRestart(s);
    Object.assign(s, { spec, wanted: true, crashes: 0, gaveUp: false });
    let entry: Running;
    try {
      entry = await this.spawn(spec, true);
    } catch (err) {
      s.wanted = false;
      throw err;
    }

    const readyAbort = new AbortController();
    const readySignal = signal ? AbortSignal.any([signal, readyAbort.signal]) : readyAbort.signal;
    const exitedEarly = entry.exited.then((how) => Promise.reject(new Error(`${spec.label} exited (${how}) before it was ready.`)));
    exitedEarly.catch(() => {}); // only the race below cares
    try {
      await Promise.race([spec.ready(readySignal), exitedEarly]);
      entry.startedByCaller = false;
      return entry.pid;
    } catch (err) {
      readyAbort.abort();
      await this.stop(spec.id);
      if (err instanceof AbortedError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`${message}\n  Last lines of ${displayPath(spec.logFile)}:\n${indent(logTail(spec.logFile, 30, entry.logOffset))}`);
    }
  }

  /**
   * Starts a process that was started before (fault tests), with the same settings; `env`, if given, is
   * added to its environment for this start only (e.g. a fault-injection setting): later starts, a restart
   * after a crash among them, get the original.
   */
  async restart(id: string, signal?: AbortSignal, env: NodeJS.ProcessEnv = {}): Promise<number> {
    const s = this.supervised.get(id);
    if (!s) throw new Error(`Unknown process "${id}"; known: ${this.knownIds().join(', ')}.`);
    const spec = s.spec;
    if (Object.keys(env).length === 0) return this.start(spec, signal);
    try {
      return await this.start({ ...spec, env: { ...spec.env, ...env } }, signal);
    } finally {
      s.spec = spec;
    }
  }

  /** Clean stop with the process's own signal, SIGKILL to its group after the timeout; it stays down. */
  async stop(id: string): Promise<void> {
    this.putDown(id);
    const entry = this.running.get(id);
    if (!entry) return;
    entry.stopping = true;
    signalProcess(entry.pid, entry.spec.stopSignal);
    if (!(await within(entry.exited, entry.spec.stopTimeoutMs))) {
      killTree(entry.pid);
      await entry.exited;
    }
    // Sweep anything the process forked and left behind in its group.
    signalGroup(entry.pid, 'SIGKILL');
  }

  /** SIGKILL to the process and everything it forked, like a crash of its machine; it stays down. */
  async kill(id: string): Promise<void> {
    this.putDown(id);
    const entry = this.running.get(id);
    if (!entry) return;
    entry.stopping = true;
    killTree(entry.pid);
    await entry.exited;
  }

  /** Kills the process and refuses every later start of it, saying why (a fenced primary). */
  async retire(id: string, why: string): Promise<void> {
    const s = this.supervised.get(id);
    if (s) s.retired = why;
    await this.kill(id);
  }

  /** Stops everything, group by group in stopOrder, each group in parallel; nothing is restarted any more. */
  async stopAll(): Promise<void> {
    this.closing = true;
    for (const s of this.supervised.values()) this.cancelRestart(s);
    const orders = [...new Set([...this.running.values()].map((e) => e.spec.stopOrder))].sort((a, b) => a - b);
    for (const order of orders) {
      const ids = [...this.running.values()].filter((e) => e.spec.stopOrder === order).map((e) => e.spec.id);
      await Promise.all(ids.map((id) => this.stop(id)));
    }
  }

  /** A stop or kill through the launcher: the process is no longer wanted, and a pending restart is off. */
  private putDown(id: string): void {
    const s = this.supervised.get(id);
    if (!s) return;
    s.wanted = false;
    this.cancelRestart(s);
  }

  private cancelRestart(s: Supervised): void {
    clearTimeout(s.pendingRestart);
    s.pendingRestart = undefined;
    s.restarting?.abort();
    s.restarting = undefined;
  }

  /**
   * A crash: the process exited (or could not be spawned) while nobody was
   * stopping it and no caller was waiting for it. `ranMs` is how long it ran.
   */
  private crashed(spec: ProcessSpec, how: string, ranMs: number, logOffset: number): void {
    const s = this.supervised.get(spec.id);
    const { label, logFile } = spec;
    if (!s || !s.wanted || this.closing) return;
    if (!this.policy.enabled) {
      s.wanted = false;
      this.report(`${label} exited unexpectedly (${how}); restarts are off, so it stays down; see ${displayPath(logFile)}`);
      return;
    }
    s.crashes = ranMs >= this.policy.healthyAfterMs ? 1 : s.crashes + 1;
    if (s.crashes >= this.policy.giveUpAfter) {
      s.wanted = false;
      s.gaveUp = true;
      this.report(
        [
          `GAVE UP on ${label}: it crashed ${s.crashes} times in a row, each within ${seconds(this.policy.healthyAfterMs)} of its start (last: ${how}).`,
          `It stays down until it is started again (or the stack is). Last lines of ${displayPath(logFile)}:`,
          indent(logTail(logFile, 15, logOffset)),
        ].join('\n'),
      );
      return;
    }
    const delayMs = restartDelayMs(this.policy, s.crashes);
    this.report(
      `${label} exited unexpectedly (${how}) after ${seconds(ranMs)}; restarting it in ${seconds(delayMs)} ` +
        `(crash ${s.crashes} in a row; the launcher gives up at ${this.policy.giveUpAfter}); see ${displayPath(logFile)}`,
    );
    s.pendingRestart = setTimeout(() => void this.restartCrashed(s), delayMs);
  }

  /** Starts a crashed process again and says when it is ready; a new exit is another crash. */
  private async restartCrashed(s: Supervised): Promise<void> {
    s.pendingRestart = undefined;
    if (!s.wanted || this.closing) return;
    const abort = new AbortController();
    s.restarting = abort;
    const { spec } = s;
    let entry: Running;
    try {
      entry = await this.spawn(spec, false);
    } catch (err) {
      s.restarting = undefined;
      // Could not even spawn (the command is gone): as good as a crash at once.
      this.crashed(spec, err instanceof Error ? err.message : String(err), 0, 0);
      return;
    }
    this.report(`${spec.label} restarted (pid ${entry.pid}); waiting until it is ready`);
    // An exit ends the wait: the exit handler has already counted the crash.
    void entry.exited.then(() => abort.abort());
    try {
      await spec.ready(abort.signal);
      this.report(`${spec.label} is ready again (pid ${entry.pid}, ${seconds(Date.now() - entry.startedAt)} after its restart)`);
    } catch (err) {
      if (!abort.signal.aborted) {
        // Alive but not serving: left running (readiness is for whoever routes to it), and said so.
        this.report(`${spec.label} restarted (pid ${entry.pid}) but is not ready: ${err instanceof Error ? err.message : String(err)}`);
      }
    } finally {
      if (s.restarting === abort) s.restarting = undefined;
    }
  }

  private async spawn(spec: ProcessSpec, startedByCaller: boolean): Promise<Running> {
    fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
    const fd = fs.openSync(spec.logFile, 'a');
    let child: ChildProcess;
    let logOffset: number;
    try {
      logOffset = fs.fstatSync(fd).size;
      fs.writeSync(fd, `\n--- ${new Date().toISOString()} stack launcher starts: ${spec.command} ${spec.args.join(' ')}\n`);
      child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env,
        uid: spec.uid,
        gid: spec.gid,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      fs.closeSync(fd); // the child holds its own copy
    }
    const pid = child.pid;
    if (pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`Could not start ${spec.label} (${spec.command}): ${error.message}.`);
    }
    const entry: Running = {
      spec,
      child,
      pid,
      startTime: processStartTime(pid),
      startedAt: Date.now(),
      logOffset,
      startedByCaller,
      stopping: false,
      exited: new Promise((resolve) => {
        child.once('exit', (code, signal) => {
          const how = describeExit(code, signal);
          this.running.delete(spec.id);
          this.persist();
          if (!entry.startedByCaller && !entry.stopping) {
            // Whatever it forked into its group and left behind would hold its port or shared memory.
            signalGroup(pid, 'SIGKILL');
            this.crashed(spec, how, Date.now() - entry.startedAt, entry.logOffset);
          }
          resolve(how);
        });
      }),
    };
    this.running.set(spec.id, entry);
    this.persist();
    return entry;
  }

  private persist(): void {
    const processes: RegisteredProcess[] = [...this.running.values()].map((e) => ({
      id: e.spec.id,
      kind: e.spec.kind,
      pid: e.pid,
      startTime: e.startTime,
      stopSignal: e.spec.stopSignal,
      log: e.spec.logFile,
    }));
    writePidFile(this.pidsFile, processes);
    this.onChange();
  }
}
