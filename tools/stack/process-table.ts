import * as fs from 'fs';

/**
 * Liveness from /proc. A pid alone is not proof a process is still ours (pids
 * get reused), so registry entries also keep the process start time.
 */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // exited, not yet reaped
    return Number(fields[19]); // field 22 overall: start time in clock ticks since boot
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number, startTime?: number): boolean {
  const actual = processStartTime(pid);
  return actual !== undefined && (startTime === undefined || actual === startTime);
}

export function processCommandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Sends a signal, ignoring "no such process": the process may have just exited. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Every child runs in its own process group (detached), so -pid reaches it and whatever it forked. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  signalProcess(-pid, signal);
}

export async function waitForExit(pid: number, startTime: number | undefined, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid, startTime)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Children, grandchildren, …, read from /proc. */
export function descendants(pid: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent !== undefined) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), Number(entry)]);
  }
  const result: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const children = childrenOf.get(queue.shift()!) ?? [];
    result.push(...children);
    queue.push(...children);
  }
  return result;
}

/**
 * SIGKILL to a process, its group and every descendant. The group alone is not
 * enough: Postgres gives each backend its own session (setsid), and backends
 * left behind by a killed postmaster keep its shared memory, blocking a restart.
 */
export function killTree(pid: number): void {
  const tree = descendants(pid); // before the kill: orphans get reparented
  signalGroup(pid, 'SIGKILL');
  for (const p of [pid, ...tree]) signalProcess(p, 'SIGKILL');
}
