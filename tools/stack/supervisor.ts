import { type ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { indent, logTail } from './log-tail.js';
import { displayPath } from './paths.js';
import { type ProcessKind, type RegisteredProcess, writePidFile } from './pid-registry.js';
import { AbortedError } from './poll.js';
import { killTree, processStartTime, signalGroup, signalProcess } from './process-table.js';

/** Everything needed to (re)start one child and to tell when it serves. */
export interface ProcessSpec {
  /** e.g. app:inventory-1, pg:shard0-node1, kafka:0 */
  id: string;
  kind: ProcessKind;
  /** For messages: "postgres shard 0 primary". */
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

interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  pid: number;
  startTime?: number;
  exited: Promise<string>;
  /** Exits while starting or stopping are expected, not worth a warning. */
  starting: boolean;
  stopping: boolean;
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
 * pids.json, and stops them in order.
 */
export class Supervisor {
  private readonly specs = new Map<string, ProcessSpec>();
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly pidsFile: string,
    private readonly onUnexpectedExit: (spec: ProcessSpec, how: string) => void,
    /** Called after any start or stop, e.g. to refresh pids in stack.json. */
    private readonly onChange: () => void = () => {},
  ) {}

  pidOf(id: string): number | undefined {
    return this.running.get(id)?.pid;
  }

  knownIds(): string[] {
    return [...this.specs.keys()];
  }

  /** Spawns the process and waits until it is ready; on failure it is stopped and the error carries its log tail. */
  async start(spec: ProcessSpec, signal?: AbortSignal): Promise<number> {
    if (this.running.has(spec.id)) throw new Error(`${spec.label} (${spec.id}) is already running.`);
    this.specs.set(spec.id, spec);
    const logOffset = fs.existsSync(spec.logFile) ? fs.statSync(spec.logFile).size : 0;
    const entry = await this.spawn(spec);

    const readyAbort = new AbortController();
    const readySignal = signal ? AbortSignal.any([signal, readyAbort.signal]) : readyAbort.signal;
    const exitedEarly = entry.exited.then((how) => Promise.reject(new Error(`${spec.label} exited (${how}) before it was ready.`)));
    exitedEarly.catch(() => {}); // only the race below cares
    try {
      await Promise.race([spec.ready(readySignal), exitedEarly]);
      entry.starting = false;
      return entry.pid;
    } catch (err) {
      readyAbort.abort();
      await this.stop(spec.id);
      if (err instanceof AbortedError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`${message}\n  Last lines of ${displayPath(spec.logFile)}:\n${indent(logTail(spec.logFile, 30, logOffset))}`);
    }
  }

  /**
   * Starts a process that was started before (fault tests), with the same settings; `env`, if given, is
   * added to its environment for this start only (e.g. a fault-injection setting): later starts get the original.
   */
  async restart(id: string, signal?: AbortSignal, env: NodeJS.ProcessEnv = {}): Promise<number> {
    const spec = this.specs.get(id);
    if (!spec) throw new Error(`Unknown process "${id}"; known: ${this.knownIds().join(', ')}.`);
    if (Object.keys(env).length === 0) return this.start(spec, signal);
    try {
      return await this.start({ ...spec, env: { ...spec.env, ...env } }, signal);
    } finally {
      this.specs.set(id, spec);
    }
  }

  /** Clean stop with the process's own signal; SIGKILL to its group after the timeout. */
  async stop(id: string): Promise<void> {
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

  /** SIGKILL to the process and everything it forked, like a crash of its machine. */
  async kill(id: string): Promise<void> {
    const entry = this.running.get(id);
    if (!entry) return;
    entry.stopping = true;
    killTree(entry.pid);
    await entry.exited;
  }

  /** Stops everything, group by group in stopOrder, each group in parallel. */
  async stopAll(): Promise<void> {
    const orders = [...new Set([...this.running.values()].map((e) => e.spec.stopOrder))].sort((a, b) => a - b);
    for (const order of orders) {
      const ids = [...this.running.values()].filter((e) => e.spec.stopOrder === order).map((e) => e.spec.id);
      await Promise.all(ids.map((id) => this.stop(id)));
    }
  }

  private async spawn(spec: ProcessSpec): Promise<Running> {
    fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
    const fd = fs.openSync(spec.logFile, 'a');
    let child: ChildProcess;
    try {
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
      starting: true,
      stopping: false,
      exited: new Promise((resolve) => {
        child.once('exit', (code, signal) => {
          const how = describeExit(code, signal);
          this.running.delete(spec.id);
          this.persist();
          if (!entry.starting && !entry.stopping) this.onUnexpectedExit(spec, how);
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
