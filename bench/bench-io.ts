import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../tools/stack/paths.js';
import { round } from './stats.js';

/** A benchmark's settings: `--name value` on the command line, else the environment variable. */
export function benchArgs(argv: string[], env: NodeJS.ProcessEnv) {
  const flag = (name: string, envName: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : env[envName] || undefined;
  };
  const whole = (name: string, envName: string, fallback: number): number => {
    const raw = flag(name, envName);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} (${envName}) must be a positive whole number, not ${raw}`);
    return value;
  };
  return { flag, whole };
}

/**
 * Writes a result, stamped with its time and the machine it came from, to
 * bench/results/<kind>-<time>.json (not committed); returns the path to print.
 */
export function writeBenchResult(kind: string, result: Record<string, unknown>): string {
  const at = new Date().toISOString();
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: round(totalmem() / 2 ** 30, 1), node: process.version };
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const name = `${kind}-${at.replace(/[:.]/g, '-')}.json`;
  writeFileSync(join(dir, name), JSON.stringify({ at, machine, ...result }, null, 2) + '\n');
  return `bench/results/${name}`;
}
