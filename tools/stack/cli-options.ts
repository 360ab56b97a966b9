import { type AppName } from './contexts.js';
import { parseAppName, parseRestartMode, StackError, type StackOptions } from './options.js';

/**
 * Options for the CLI from BOXOFFICE_* env vars, overridden by --flags
 * (`--port-base 37000` or `--port-base=37000`).
 */
const SETTINGS = {
  stateDir: { env: 'BOXOFFICE_STATE_DIR', flag: 'state-dir' },
  portBase: { env: 'BOXOFFICE_PORT_BASE', flag: 'port-base' },
  shards: { env: 'BOXOFFICE_SHARDS', flag: 'shards' },
  replicasPerShard: { env: 'BOXOFFICE_REPLICAS_PER_SHARD', flag: 'replicas-per-shard' },
  brokers: { env: 'BOXOFFICE_BROKERS', flag: 'brokers' },
  appReplicas: { env: 'BOXOFFICE_APP_REPLICAS', flag: 'app-replicas' },
  apps: { env: 'BOXOFFICE_APPS', flag: 'apps' },
  restart: { env: 'BOXOFFICE_RESTART', flag: 'restart' },
  tracing: { env: 'BOXOFFICE_TRACING', flag: 'tracing' },
} as const;

type Setting = keyof typeof SETTINGS;

function parseFlags(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new StackError(`Unexpected argument "${arg}"; options are --flag value.`);
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    } else {
      const value = argv[i + 1];
      if (value === undefined) throw new StackError(`The flag ${arg} needs a value.`);
      flags.set(arg.slice(2), value);
      i++;
    }
  }
  const known = new Set<string>(Object.values(SETTINGS).map((s) => s.flag));
  for (const flag of flags.keys()) {
    if (!known.has(flag)) throw new StackError(`Unknown flag --${flag}; known flags: ${[...known].map((f) => `--${f}`).join(', ')}.`);
  }
  return flags;
}

function toNumber(raw: string, source: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new StackError(`${source} must be a number, not "${raw}".`);
  return n;
}

/** "ordering=2,inventory=2" */
function parseAppReplicas(raw: string, source: string): Partial<Record<AppName, number>> {
  const result: Partial<Record<AppName, number>> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, count] = part.split('=');
    if (count === undefined) throw new StackError(`${source} must look like "ordering=2,inventory=2", not "${raw}".`);
    result[parseAppName(name.trim(), source)] = toNumber(count, `${source} for ${name}`);
  }
  return result;
}

/** "catalog,inventory", or "none" for infrastructure only. */
function parseApps(raw: string, source: string): AppName[] {
  if (raw.trim() === 'none') return [];
  return raw.split(',').map((p) => p.trim()).filter(Boolean).map((name) => parseAppName(name, source));
}

export function optionsFromEnvAndFlags(env: NodeJS.ProcessEnv, argv: string[]): StackOptions {
  const flags = parseFlags(argv);
  const options: StackOptions = {};
  for (const key of Object.keys(SETTINGS) as Setting[]) {
    const { env: envName, flag } = SETTINGS[key];
    const fromFlag = flags.get(flag);
    const raw = fromFlag ?? env[envName];
    if (raw === undefined || raw === '') continue;
    const source = fromFlag !== undefined ? `--${flag}` : envName;
    switch (key) {
      case 'stateDir':
        options.stateDir = raw;
        break;
      case 'portBase':
      case 'shards':
      case 'replicasPerShard':
        options[key] = toNumber(raw, source);
        break;
      case 'brokers':
        options.brokers = toNumber(raw, source) as 1 | 3;
        break;
      case 'appReplicas':
        options.appReplicas = parseAppReplicas(raw, source);
        break;
      case 'apps':
        options.apps = parseApps(raw, source);
        break;
      case 'restart':
        options.restart = parseRestartMode(raw.trim(), source);
        break;
      case 'tracing':
        if (raw.trim() !== 'on' && raw.trim() !== 'off') throw new StackError(`${source} must be on or off, not "${raw}".`);
        options.tracing = raw.trim() === 'on';
        break;
    }
  }
  return options;
}
