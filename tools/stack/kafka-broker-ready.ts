import * as fs from 'fs';
import { delay, throwIfAborted } from './poll.js';

/**
 * How long a starting broker may write nothing to its log before it is taken
 * for stuck: a JVM that starts or a log recovery that runs writes lines all
 * the time, even on a loaded machine.
 */
export const BROKER_SILENT_LIMIT_MS = 90_000;
/** However busy its log, a broker that is still not ready after this is a failure. */
export const BROKER_READY_LIMIT_MS = 600_000;
/** How often a slow start says which stage it is in. */
const REPORT_EVERY_MS = 30_000;

/** What a starting broker is doing, as its log shows it (lines written since it was started). */
export function brokerStage(log: string): string {
  const last = (pattern: RegExp) => Math.max(-1, ...[...log.matchAll(pattern)].map((m) => m.index));
  const loading = last(/Loading logs from log dirs/g);
  const loaded = last(/INFO Loaded \d+ logs in/g);
  const started = last(/Kafka startTimeMs/g);
  if (started >= 0 && started > loading) return 'started, waiting until the controller lets it in (unfenced)';
  if (loaded >= 0 && loaded > loading) return 'logs loaded, starting its services';
  if (loading >= 0) return 'recovering its logs';
  if (log.trim() !== '') return 'starting, not yet loading its logs';
  return 'starting its JVM (no log output yet)';
}

export interface BrokerReadyOptions {
  label: string;
  logFile: string;
  /** True once the broker serves: its own answer that it is in the cluster. A throw counts as "not yet". */
  isReady: () => Promise<boolean>;
  say: (text: string) => void;
  signal?: AbortSignal;
  intervalMs?: number;
  silentLimitMs?: number;
  readyLimitMs?: number;
}

/**
 * Waits until a broker that was just started is ready, for as long as its
 * log shows progress: it fails when the log has been silent for
 * `silentLimitMs`, or after `readyLimitMs` in all, naming the stage the
 * broker is in and its last line. (Its exit ends the wait too: the
 * supervisor races this with the process.) A fixed limit either fails a
 * sound broker whose recovery is slow on a loaded machine, or waits long
 * for a stuck one; the log tells them apart.
 */
export async function untilBrokerReady(o: BrokerReadyOptions): Promise<void> {
  const silentLimitMs = o.silentLimitMs ?? BROKER_SILENT_LIMIT_MS;
  const readyLimitMs = o.readyLimitMs ?? BROKER_READY_LIMIT_MS;
  const startedAt = Date.now();
  const fromOffset = fileSize(o.logFile);
  let seenSize = fromOffset;
  let lastProgressAt = startedAt;
  let reportedAt = startedAt;
  let lastError: unknown;
  for (;;) {
    throwIfAborted(o.signal);
    try {
      if (await o.isReady()) return;
    } catch (error) {
      lastError = error;
    }
    const now = Date.now();
    const size = fileSize(o.logFile);
    if (size !== seenSize) {
      seenSize = size;
      lastProgressAt = now;
    }
    const silentFor = now - lastProgressAt;
    const waited = now - startedAt;
    if (silentFor >= silentLimitMs || waited >= readyLimitMs) {
      const log = readFrom(o.logFile, fromOffset);
      const why = silentFor >= silentLimitMs ? `its log has been silent for ${Math.round(silentFor / 1000)} s` : `it is still not ready after ${Math.round(waited / 1000)} s`;
      const lastLine = log.trimEnd().split('\n').at(-1) ?? '';
      const error = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`${o.label} is not ready: ${why} (stage: ${brokerStage(log)}; last log line: ${lastLine.slice(0, 300) || 'none'}${error})`);
    }
    if (now - reportedAt >= REPORT_EVERY_MS) {
      reportedAt = now;
      o.say(`${o.label} not ready yet after ${Math.round(waited / 1000)} s: ${brokerStage(readFrom(o.logFile, fromOffset))}`);
    }
    await delay(o.intervalMs ?? 250, o.signal);
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** What the log got since `fromOffset` (a broker's log is appended to across starts), at most its last 8 MiB. */
function readFrom(file: string, fromOffset: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(fromOffset, size - 8 * 1024 * 1024);
      const buffer = Buffer.alloc(Math.max(0, size - start));
      fs.readSync(fd, buffer, 0, buffer.length, start);
      return buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}
