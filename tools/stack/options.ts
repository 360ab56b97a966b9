import { APPS, type AppName } from './contexts.js';
import { resolveFromRepo } from './paths.js';

/** What the caller may set; everything has a default. */
export interface StackOptions {
  /** All data, logs and pid files. Relative paths are relative to the repo root. */
  stateDir?: string;
  portBase?: number;
  shards?: number;
  /** Streaming standbys per shard primary. */
  replicasPerShard?: number;
  brokers?: 1 | 3;
  /** Instances per app; apps not listed get one. */
  appReplicas?: Partial<Record<AppName, number>>;
  /** Apps to start (default all); an empty list starts only Postgres and Kafka. */
  apps?: AppName[];
  /** Extra env merged last: '*' for every app, then the app's own entry. */
  extraEnv?: Partial<Record<AppName | '*', Record<string, string>>>;
  /** Progress sink, one line per call. */
  log?: (line: string) => void;
  /** Aborting stops what has started and makes startStack reject. */
  signal?: AbortSignal;
  /** How long one app instance may take to answer /health/ready. */
  appReadyTimeoutMs?: number;
  /**
   * What happens to a process that exits on its own: `unless-stopped` (the
   * default) restarts it with backoff and gives up on a crash loop; `no`
   * leaves it down (ADR 0021).
   */
  restart?: RestartMode;
  /**
   * Run Jaeger (built from its Go module once) and send every app's spans to
   * it (default true); false starts no trace backend and leaves tracing off.
   */
  tracing?: boolean;
}

export const RESTART_MODES = ['unless-stopped', 'no'] as const;
export type RestartMode = (typeof RESTART_MODES)[number];

export interface ResolvedOptions {
  stateDir: string;
  portBase: number;
  shards: number;
  replicasPerShard: number;
  brokers: 1 | 3;
  appReplicas: Record<AppName, number>;
  apps: AppName[];
  extraEnv: Partial<Record<AppName | '*', Record<string, string>>>;
  log: (line: string) => void;
  signal?: AbortSignal;
  appReadyTimeoutMs: number;
  restart: RestartMode;
  tracing: boolean;
}

/** An error meant for the user as-is: one sentence saying what to change. */
export class StackError extends Error {
  override name = 'StackError';
}

export const DEFAULT_STATE_DIR = '.boxoffice/dev';

const defaultLog = (line: string): void => {
  process.stdout.write(`[stack] ${line}\n`);
};

function wholeNumber(value: number, what: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StackError(`${what} must be a whole number from ${min} to ${max}, not ${value}.`);
  }
  return value;
}

function isAppName(name: string): name is AppName {
  return (APPS as readonly string[]).includes(name);
}

export function parseAppName(name: string, source: string): AppName {
  if (!isAppName(name)) throw new StackError(`Unknown app "${name}" in ${source}; known apps: ${APPS.join(', ')}.`);
  return name;
}

export function parseRestartMode(mode: string, source: string): RestartMode {
  if (!(RESTART_MODES as readonly string[]).includes(mode)) throw new StackError(`${source} must be ${RESTART_MODES.join(' or ')}, not "${mode}".`);
  return mode as RestartMode;
}

export function resolveOptions(options: StackOptions = {}): ResolvedOptions {
  const portBase = wholeNumber(options.portBase ?? 17000, 'The port base', 1024, 65535 - 300);
  const shards = wholeNumber(options.shards ?? 2, 'The shard count', 1, 9);
  const replicasPerShard = wholeNumber(options.replicasPerShard ?? 1, 'Replicas per shard', 0, 9);
  const brokers = options.brokers ?? 1;
  if (brokers !== 1 && brokers !== 3) throw new StackError(`Kafka brokers must be 1 or 3, not ${String(brokers)}.`);
  const appReplicas = Object.fromEntries(APPS.map((app) => [app, 1])) as Record<AppName, number>;
  for (const [app, count] of Object.entries(options.appReplicas ?? {})) {
    // Ten ports per app in the layout bound the replica count.
    appReplicas[parseAppName(app, 'appReplicas')] = wholeNumber(count ?? 1, `Replicas of ${app}`, 1, 10);
  }
  const apps = options.apps ? [...options.apps] : [...APPS];
  apps.forEach((app) => parseAppName(app, 'apps'));
  return {
    stateDir: resolveFromRepo(options.stateDir ?? DEFAULT_STATE_DIR),
    portBase,
    shards,
    replicasPerShard,
    brokers,
    appReplicas,
    // Keep the APPS order whatever order the caller used: the gateway starts last.
    apps: APPS.filter((app) => apps.includes(app)),
    extraEnv: options.extraEnv ?? {},
    log: options.log ?? defaultLog,
    signal: options.signal,
    appReadyTimeoutMs: options.appReadyTimeoutMs ?? 60_000,
    restart: parseRestartMode(options.restart ?? 'unless-stopped', 'restart'),
    tracing: options.tracing ?? true,
  };
}
