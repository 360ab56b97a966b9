import { type ProcessKind, readPidFile, type RegisteredProcess, writeJsonAtomic } from './pid-registry.js';
import { isAlive, killTree, signalGroup, signalProcess, waitForExit } from './process-table.js';

/** Grace periods before SIGKILL; apps get 10 s as their shutdown hooks drain Kafka consumers. */
const GRACE_MS: Record<ProcessKind, number> = { app: 10_000, kafka: 30_000, postgres: 30_000 };
const STOP_ORDER: ProcessKind[] = ['app', 'kafka', 'postgres'];

async function stopOne(p: RegisteredProcess): Promise<void> {
  signalProcess(p.pid, p.stopSignal);
  if (!(await waitForExit(p.pid, p.startTime, GRACE_MS[p.kind]))) {
    killTree(p.pid);
    await waitForExit(p.pid, p.startTime, 5_000);
  }
  signalGroup(p.pid, 'SIGKILL'); // anything it forked
}

/**
 * Stops the live processes pids.json lists, when no launcher owns them
 * (`stop` after a crash, or the next `up` cleaning up). Returns how many were alive.
 */
export async function stopRegisteredProcesses(pidsFile: string): Promise<RegisteredProcess[]> {
  const registry = readPidFile(pidsFile);
  if (!registry) return [];
  const live = registry.processes.filter((p) => isAlive(p.pid, p.startTime));
  for (const kind of STOP_ORDER) {
    await Promise.all(live.filter((p) => p.kind === kind).map(stopOne));
  }
  writeJsonAtomic(pidsFile, { ...registry, processes: [] });
  return live;
}
