import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { BucketMap, ShardRouter } from '@boxoffice/persistence';
import { inventoryDatabase } from '../../apps/inventory/src/inventory.database.js';
import { orderingDatabase } from '../../apps/ordering/src/ordering.database.js';
import { ticketingDatabase } from '../../apps/ticketing/src/ticketing.database.js';
import { type RunAs, postgresRunAs } from '../stack/os-user.js';
import { type PgLogin, type PgQuery, postgresUrl, withClient } from '../stack/pg-client.js';
import { ADMIN_ROLE } from '../stack/postgres-roles.js';
import { POSTGRES_BIN, REPO_ROOT } from '../stack/paths.js';
import { pollUntil } from '../stack/poll.js';
import { restoreRehearsalPorts } from '../stack/port-layout.js';
import { lastLines, runCommand } from '../stack/run-command.js';

/** The rehearsal's servers trust local connections (as the local stack once did): its superuser, no password. */
const ADMIN: PgLogin = { user: ADMIN_ROLE, password: '' };

/**
 * A rehearsal of docs/deployment.md's shard restore, on this machine, with
 * the Postgres 18 binaries the local stack runs: shard 1 (the databases and
 * bootstrap SQL of k8s/base/postgres/pg-shard-1.yaml, the schemas of the
 * apps' own migrations) archives its WAL into a local "object store"; an
 * online base backup is taken while it runs, then more is written, a moment
 * is noted, and a mistake is made; a new server is restored from the base
 * backup and the archive to that moment (point in time), promoted, and must
 * hold exactly what was committed up to it.
 *
 * What CloudNativePG and the Barman Cloud plugin do in Kubernetes, step for
 * step, with plain PostgreSQL: archive_command for barman-cloud-wal-archive,
 * the low-level backup API (pg_backup_start / copy / pg_backup_stop, which
 * barman-cloud-backup uses too) for the base backup, and restore_command with
 * recovery_target_time for `bootstrap.recovery` with `recoveryTarget`. The
 * embedded binaries have no pg_basebackup, hence the low-level API.
 */

const SHARD_MANIFEST = path.join(REPO_ROOT, 'k8s', 'base', 'postgres', 'pg-shard-1.yaml');
/** The contexts with a database on shard 1 (every sharded one) and their migrations. */
const SHARD_1_DATABASES = { inventory: inventoryDatabase, ordering: orderingDatabase, ticketing: ticketingDatabase };
const MARKS = 'restore_rehearsal_marks';
const READY_TIMEOUT_MS = 60_000;

export interface RehearsalOptions {
  portBase: number;
  /** Where the servers, the "object store" and the logs go; emptied first. */
  workDir: string;
  say: (line: string) => void;
}

export interface RehearsalResult {
  /** Rows that must be back: written before the base backup and between it and the target. */
  expected: number[];
  restored: number[];
  targetTime: string;
  /** WAL segments the restore fetched from the archive. */
  walSegmentsReplayed: number;
  timelineBefore: number;
  timelineAfter: number;
  millis: { baseBackup: number; restore: number; total: number };
}

interface Server {
  label: string;
  port: number;
  dataDir: string;
  logFile: string;
}

/** The bootstrap of pg-shard-1.yaml: its first database, owner and postInitApplicationSQL, as CloudNativePG runs them. */
function shardBootstrap(): { database: string; owner: string; sql: string[] } {
  const [cluster] = parseAllDocuments(fs.readFileSync(SHARD_MANIFEST, 'utf8')).map((d) => d.toJS() as { spec: { bootstrap: { initdb: { database: string; owner: string; postInitApplicationSQL: string[] } } } });
  const { database, owner, postInitApplicationSQL } = cluster.spec.bootstrap.initdb;
  return { database, owner, sql: postInitApplicationSQL };
}

export async function rehearseShardRestore(o: RehearsalOptions): Promise<RehearsalResult> {
  const started = Date.now();
  const runAs = postgresRunAs();
  const { source: sourcePort, restored: restoredPort } = restoreRehearsalPorts(o.portBase);
  fs.rmSync(o.workDir, { recursive: true, force: true });
  const store = path.join(o.workDir, 'object-store');
  const dirs = { wal: path.join(store, 'pg-shard-1', 'wals'), base: path.join(store, 'pg-shard-1', 'base'), restoredWal: path.join(store, 'pg-shard-1-restore', 'wals') };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const source: Server = { label: 'shard 1', port: sourcePort, dataDir: path.join(o.workDir, 'pg-shard-1'), logFile: path.join(o.workDir, 'pg-shard-1.log') };
  const restored: Server = { label: 'restored shard 1', port: restoredPort, dataDir: path.join(o.workDir, 'pg-shard-1-restore'), logFile: path.join(o.workDir, 'pg-shard-1-restore.log') };
  chown(o.workDir, runAs);

  const running: Server[] = [];
  try {
    o.say(`initdb and start ${source.label} on 127.0.0.1:${source.port}, archiving its WAL to ${path.relative(REPO_ROOT, dirs.wal)}`);
    await initdb(source, runAs);
    writeConfig(source, { archive_command: copyCommand('%p', path.join(dirs.wal, '%f')) });
    await start(source, runAs, running);
    const timelineBefore = await withClient(ADMIN, source.port, 'postgres', timeline);

    const bootstrap = shardBootstrap();
    o.say(`bootstrap as pg-shard-1.yaml does (database ${bootstrap.database}, ${bootstrap.sql.length} statements) and run the apps' migrations`);
    // CloudNativePG creates the owner role first (spec.managed.roles then gives it LOGIN and its password).
    await withClient(ADMIN, source.port, 'postgres', async (q) => {
      await q(`CREATE ROLE "${bootstrap.owner}" NOLOGIN`);
      await q(`CREATE DATABASE "${bootstrap.database}" OWNER "${bootstrap.owner}"`);
    });
    await withClient(ADMIN, source.port, bootstrap.database, async (q) => {
      for (const statement of bootstrap.sql) await q(statement);
    });
    for (const [name, database] of Object.entries(SHARD_1_DATABASES)) {
      const router = ShardRouter.create(
        { shards: [{ primary: postgresUrl(source.port, name, ADMIN), replicas: [] }], bucketMap: BucketMap.even(1) },
        { applicationName: `${name}-migrate`, entities: database.entities, migrations: database.migrations, poolSize: 2 },
      );
      await router.initialize();
      await router.runMigrations();
      await router.destroy();
    }
    const migrationsBefore = await appliedMigrations(source.port);

    await withClient(ADMIN, source.port, 'inventory', (q) => q(`CREATE TABLE ${MARKS} (n int PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT clock_timestamp())`));
    await mark(source.port, 1, 100);

    o.say('online base backup (pg_backup_start, copy, pg_backup_stop) while the shard keeps taking writes');
    const backupStarted = Date.now();
    const backupDir = path.join(dirs.base, 'backup-1');
    await baseBackup(source, backupDir, async () => mark(source.port, 101, 150));
    const baseBackupMillis = Date.now() - backupStarted;

    await mark(source.port, 151, 250);
    // The moment to restore to: after every committed mark so far, before the mistake below.
    const [{ target }] = await withClient(ADMIN, source.port, 'inventory', (q) => q<{ target: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS target`));
    await pollUntil(() => withClient(ADMIN, source.port, 'inventory', async (q) => (await q<{ later: boolean }>('SELECT clock_timestamp() > $1::timestamptz AS later', [target]))[0].later), { what: 'the clock to pass the target', timeoutMs: 5_000 });
    o.say(`target time ${target}; then the mistake: every mark deleted, and more written`);
    await withClient(ADMIN, source.port, 'inventory', (q) => q(`DELETE FROM ${MARKS}`));
    await mark(source.port, 251, 300);
    const [{ last }] = await withClient(ADMIN, source.port, 'inventory', (q) => q<{ last: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS last'));
    await pollUntil(async () => fs.existsSync(path.join(dirs.wal, last)), { what: `WAL segment ${last} to be archived`, timeoutMs: READY_TIMEOUT_MS });
    // The shard is gone: the restore uses nothing but the object store.
    await stop(source, runAs, running);

    o.say(`restore into a new server on 127.0.0.1:${restored.port}: the base backup, then the archive's WAL up to the target`);
    const restoreStarted = Date.now();
    fs.cpSync(backupDir, restored.dataDir, { recursive: true });
    fs.chmodSync(restored.dataDir, 0o700);
    chown(restored.dataDir, runAs);
    const fetched = path.join(o.workDir, 'fetched-segments');
    fs.writeFileSync(fetched, '');
    chown(fetched, runAs);
    writeConfig(restored, {
      // Fetches from the source's archive (and notes what it fetched); archives under a name of its own, as the restored Cluster must.
      restore_command: `${copyCommand(path.join(dirs.wal, '%f'), '%p')} && echo %f >> ${shellQuote(fetched)}`,
      recovery_target_time: target,
      recovery_target_action: 'promote',
      archive_command: copyCommand('%p', path.join(dirs.restoredWal, '%f')),
    });
    fs.writeFileSync(path.join(restored.dataDir, 'recovery.signal'), '');
    chown(path.join(restored.dataDir, 'recovery.signal'), runAs);
    await start(restored, runAs, running);
    await pollUntil(() => withClient(ADMIN, restored.port, 'postgres', async (q) => !(await q<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery'))[0].recovery), {
      what: 'the restored server to reach the target and be promoted',
      timeoutMs: READY_TIMEOUT_MS,
    });
    const restoreMillis = Date.now() - restoreStarted;

    const rows = await withClient(ADMIN, restored.port, 'inventory', (q) => q<{ n: number }>(`SELECT n FROM ${MARKS} ORDER BY n`));
    const migrationsAfter = await appliedMigrations(restored.port);
    if (JSON.stringify(migrationsAfter) !== JSON.stringify(migrationsBefore)) {
      throw new Error(`the restored databases' migrations differ from the shard's: ${JSON.stringify(migrationsAfter)} vs ${JSON.stringify(migrationsBefore)}`);
    }
    const timelineAfter = await withClient(ADMIN, restored.port, 'postgres', timeline);
    // A promoted server writes (and archives) a new timeline's history: under its own name, never the source's.
    await withClient(ADMIN, restored.port, 'inventory', (q) => q(`INSERT INTO ${MARKS} (n) VALUES (1000)`));
    const historyFile = `${timelineAfter.toString(16).toUpperCase().padStart(8, '0')}.history`;
    await pollUntil(async () => fs.existsSync(path.join(dirs.restoredWal, historyFile)), { what: `the restored server to archive ${historyFile}`, timeoutMs: READY_TIMEOUT_MS });
    if (fs.existsSync(path.join(dirs.wal, historyFile))) throw new Error(`the restored server archived ${historyFile} under the source's name`);
    const walSegmentsReplayed = fs.readFileSync(fetched, 'utf8').split('\n').filter((f) => /^[0-9A-F]{24}$/.test(f)).length;

    return {
      expected: range(1, 250),
      restored: rows.map((r) => r.n),
      targetTime: target,
      walSegmentsReplayed,
      timelineBefore,
      timelineAfter,
      millis: { baseBackup: baseBackupMillis, restore: restoreMillis, total: Date.now() - started },
    };
  } catch (error) {
    for (const server of running) o.say(`${server.label}'s log (${server.logFile}):\n${lastLines(readOr(server.logFile), 20)}`);
    throw error;
  } finally {
    for (const server of [...running].reverse()) await stop(server, runAs, running).catch(() => {});
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function mark(port: number, from: number, to: number): Promise<void> {
  await withClient(ADMIN, port, 'inventory', (q) => q(`INSERT INTO ${MARKS} (n) SELECT generate_series($1::int, $2::int)`, [from, to]));
}

async function timeline(q: PgQuery): Promise<number> {
  return (await q<{ timeline_id: number }>('SELECT timeline_id FROM pg_control_checkpoint()'))[0].timeline_id;
}

async function appliedMigrations(port: number): Promise<Record<string, string[]>> {
  const applied: Record<string, string[]> = {};
  for (const name of Object.keys(SHARD_1_DATABASES)) {
    applied[name] = (await withClient(ADMIN, port, name, (q) => q<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id'))).map((r) => r.name);
  }
  return applied;
}

/**
 * PostgreSQL's low-level base backup: pg_backup_start in a session that stays
 * open, a copy of the data directory while the server runs (and writes: the
 * WAL replayed from the archive makes the copy consistent), pg_backup_stop,
 * whose backup_label goes with the copy. pg_wal's contents, the postmaster's
 * files and replication slots stay behind (PostgreSQL's documented exclusions).
 */
async function baseBackup(server: Server, target: string, whileCopying: () => Promise<void>): Promise<void> {
  await withClient(ADMIN, server.port, 'postgres', async (q) => {
    await q(`SELECT pg_backup_start('rehearsal', true)`);
    const skipped = new Set(['postmaster.pid', 'postmaster.opts', 'recovery.signal', 'standby.signal']);
    const emptied = new Set(['pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_subtrans']);
    const copy = fs.promises.cp(server.dataDir, target, {
      recursive: true,
      filter: (from) => {
        const relative = path.relative(server.dataDir, from);
        return !skipped.has(relative) && !emptied.has(path.dirname(relative)) && !relative.startsWith(`pg_wal${path.sep}`);
      },
    });
    // Writes during the copy leave its files inconsistent with one another: replaying the archived WAL mends that.
    await Promise.all([copy, whileCopying()]);
    const [stopped] = await q<{ labelfile: string; spcmapfile: string | null }>('SELECT labelfile, spcmapfile FROM pg_backup_stop(true)');
    fs.writeFileSync(path.join(target, 'backup_label'), stopped.labelfile);
    if (stopped.spcmapfile) fs.writeFileSync(path.join(target, 'tablespace_map'), stopped.spcmapfile);
  });
}

async function initdb(server: Server, runAs: RunAs | undefined): Promise<void> {
  fs.mkdirSync(server.dataDir, { recursive: true, mode: 0o700 });
  chown(server.dataDir, runAs);
  // The local stack's initdb (tools/stack/postgres-cluster.ts).
  const result = await runCommand(path.join(POSTGRES_BIN, 'initdb'), ['-D', server.dataDir, '-U', 'boxoffice', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
    uid: runAs?.uid,
    gid: runAs?.gid,
    env: { PATH: process.env.PATH, LC_ALL: 'C' },
  });
  if (result.code !== 0) throw new Error(`initdb for ${server.label} failed (exit code ${result.code}):\n${lastLines(result.output)}`);
}

/** Settings appended to postgresql.conf (a later line wins); the restored server inherits the source's and overrides them. */
function writeConfig(server: Server, settings: Record<string, string>): void {
  const all = {
    port: String(server.port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    wal_level: 'replica',
    archive_mode: 'on',
    max_connections: '50',
    fsync: 'off',
    ...settings,
  };
  const lines = Object.entries(all).map(([key, value]) => `${key} = ${/^\d+$/.test(value) ? value : `'${value.replaceAll("'", "''")}'`}`);
  fs.appendFileSync(path.join(server.dataDir, 'postgresql.conf'), `\n# restore rehearsal\n${lines.join('\n')}\n`);
}

/** PostgreSQL's own example: never overwrite a file the archive already has. */
function copyCommand(from: string, to: string): string {
  return `test ! -f ${shellQuote(to)} && cp ${shellQuote(from)} ${shellQuote(to)}`;
}

function shellQuote(text: string): string {
  // %p and %f are replaced by PostgreSQL and never contain quotes.
  return `"${text}"`;
}

async function start(server: Server, runAs: RunAs | undefined, running: Server[]): Promise<void> {
  const result = await runCommand(path.join(POSTGRES_BIN, 'pg_ctl'), ['-D', server.dataDir, '-l', server.logFile, '-w', '-t', String(READY_TIMEOUT_MS / 1000), 'start'], {
    uid: runAs?.uid,
    gid: runAs?.gid,
    env: { PATH: process.env.PATH, LC_ALL: 'C' },
  });
  running.push(server);
  if (result.code !== 0) throw new Error(`${server.label} did not start (exit code ${result.code}):\n${lastLines(result.output)}\n${lastLines(readOr(server.logFile))}`);
}

async function stop(server: Server, runAs: RunAs | undefined, running: Server[]): Promise<void> {
  const index = running.indexOf(server);
  if (index < 0) return;
  running.splice(index, 1);
  const result = await runCommand(path.join(POSTGRES_BIN, 'pg_ctl'), ['-D', server.dataDir, '-m', 'fast', '-w', 'stop'], { uid: runAs?.uid, gid: runAs?.gid, env: { PATH: process.env.PATH, LC_ALL: 'C' } });
  if (result.code !== 0) throw new Error(`${server.label} did not stop (exit code ${result.code}):\n${lastLines(result.output)}`);
}

function chown(target: string, runAs: RunAs | undefined): void {
  if (!runAs) return;
  fs.chownSync(target, runAs.uid, runAs.gid);
  if (fs.statSync(target).isDirectory()) for (const entry of fs.readdirSync(target)) chown(path.join(target, entry), runAs);
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
