import * as fs from 'fs';

/**
 * pids.json: every child the launcher started, rewritten whenever one starts or
 * stops. It lets `stop` work without a launcher and lets the next `up` clean up
 * after a launcher that crashed.
 */
export type ProcessKind = 'postgres' | 'kafka' | 'app';

export interface RegisteredProcess {
  /** e.g. app:inventory-1, pg:shard0-node1, kafka:0 */
  id: string;
  kind: ProcessKind;
  pid: number;
  /** From /proc, to tell our process from a later one that reused the pid. */
  startTime?: number;
  /** The signal that stops it cleanly: SIGINT (fast shutdown) for postgres, SIGTERM otherwise. */
  stopSignal: NodeJS.Signals;
  log: string;
}

export interface PidFile {
  launcherPid: number;
  processes: RegisteredProcess[];
}

export function readPidFile(file: string): PidFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PidFile;
  } catch {
    return undefined;
  }
}

/** Written to a temp file and renamed, so a reader never sees half a file. */
export function writeJsonAtomic(file: string, value: unknown, mode = 0o644): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode });
  fs.renameSync(tmp, file);
}

export function writePidFile(file: string, processes: RegisteredProcess[]): void {
  writeJsonAtomic(file, { launcherPid: process.pid, processes } satisfies PidFile);
}
