import * as fs from 'fs';
import * as path from 'path';
import { DATA_CONTEXTS } from './contexts.js';
import { type ResolvedOptions, StackError } from './options.js';
import { type RunAs } from './os-user.js';
import { type PgLogin, type PgQuery, withClient } from './pg-client.js';
import { allSettledOrThrow, pollUntil } from './poll.js';
import { postgresPort } from './port-layout.js';
import { includeOurConfig, type PgNodePlan, type PgShardPlan, writeHba, writeNodeConfig } from './postgres-config.js';
import { POSTGRES_BIN, type StatePaths } from './paths.js';
import { adminLogin, ADMIN_ROLE, ensureRoles, localPostgresPasswords, type PostgresPasswords, REPLICATION_ROLE, restrictDatabase } from './postgres-roles.js';
import { readTopology, shardTopology, writeTopology } from './postgres-topology.js';
import { lastLines, runCommand } from './run-command.js';
import { type ProcessSpec, type Supervisor } from './supervisor.js';

export type { PgNodePlan, PgShardPlan } from './postgres-config.js';

const READY_TIMEOUT_MS = 60_000;

/**
 * Each shard has nodes 0..replicasPerShard. Node 0 is the primary unless a
 * failover promoted another (postgres-topology.ts); the rest are its standbys.
 */
export function planPostgres(o: ResolvedOptions, paths: StatePaths): PgShardPlan[] {
  const topology = readTopology(paths.postgresDir);
  return Array.from({ length: o.shards }, (_, shard) => {
    const { primary } = shardTopology(topology, shard);
    if (primary > o.replicasPerShard) {
      throw new StackError(`Shard ${shard}'s primary is node ${primary} since a failover: start with at least ${primary} replicas per shard, or reset.`);
    }
    const node = (n: number): PgNodePlan => ({
      id: `pg:shard${shard}-node${n}`,
      label: `postgres shard ${shard} node ${n}`,
      shard,
      node: n,
      role: n === primary ? 'primary' : 'standby',
      port: postgresPort(o.portBase, shard, n),
      dataDir: path.join(paths.postgresDir, `shard${shard}-node${n}`),
      logFile: path.join(paths.logsDir, `postgres-shard${shard}-node${n}.log`),
      standbyName: `shard${shard}_node${n}`,
    });
    const nodes = Array.from({ length: o.replicasPerShard + 1 }, (_, n) => node(n));
    return { shard, primary: nodes[primary], replicas: nodes.filter((n) => n.node !== primary) };
  });
}

/** Databases on a shard: every sharded context; shard 0 also holds the unsharded ones. */
export function contextsOnShard(shard: number) {
  return DATA_CONTEXTS.filter((c) => c.sharded || shard === 0);
}

function chownTree(target: string, runAs: RunAs | undefined): void {
  if (!runAs) return;
  fs.chownSync(target, runAs.uid, runAs.gid);
  if (fs.statSync(target).isDirectory()) {
    for (const entry of fs.readdirSync(target)) chownTree(path.join(target, entry), runAs);
  }
}

function isInitialised(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

export interface PostgresContext {
  options: ResolvedOptions;
  paths: StatePaths;
  supervisor: Supervisor;
  runAs: RunAs | undefined;
  say: (text: string) => void;
  /** Every role's password (tools/stack/postgres-roles.ts). */
  passwords: PostgresPasswords;
}

async function initPrimary(node: PgNodePlan, ctx: PostgresContext): Promise<void> {
  // A dir without PG_VERSION is a half-finished initdb: start over.
  fs.rmSync(node.dataDir, { recursive: true, force: true });
  fs.mkdirSync(node.dataDir, { recursive: true, mode: 0o700 });
  chownTree(node.dataDir, ctx.runAs);
  // The superuser's password, for initdb to read and forget: beside the data dir, readable by its owner only.
  const pwfile = `${node.dataDir}.pwfile`;
  fs.writeFileSync(pwfile, `${adminLogin(ctx.passwords).password}\n`, { mode: 0o600 });
  chownTree(pwfile, ctx.runAs);
  try {
    const result = await runCommand(
      path.join(POSTGRES_BIN, 'initdb'),
      // --no-sync: a dev cluster; skipping initdb's fsyncs saves about a second per shard.
      ['-D', node.dataDir, '-U', ADMIN_ROLE, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { uid: ctx.runAs?.uid, gid: ctx.runAs?.gid, env: { PATH: process.env.PATH, LC_ALL: 'C' }, signal: ctx.options.signal },
    );
    if (result.code !== 0) {
      throw new Error(`initdb for ${node.label} failed (exit code ${result.code}):\n${lastLines(result.output)}`);
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  includeOurConfig(node.dataDir);
}

/**
 * No pg_basebackup in the embedded binaries: a standby starts as a file copy
 * of its primary's data dir, taken while the primary is stopped, so the copy
 * is consistent. The primary's slots stay behind (a standby holding copies of
 * them would retain WAL forever).
 */
function seedStandby(primary: PgNodePlan, standby: PgNodePlan, runAs: RunAs | undefined): void {
  fs.rmSync(standby.dataDir, { recursive: true, force: true });
  const skip = new Set(['postmaster.pid', 'postmaster.opts']);
  fs.cpSync(primary.dataDir, standby.dataDir, {
    recursive: true,
    filter: (source) => {
      const rel = path.relative(primary.dataDir, source);
      return !skip.has(rel) && !(path.dirname(rel) === 'pg_replslot');
    },
  });
  fs.chmodSync(standby.dataDir, 0o700);
  chownTree(standby.dataDir, runAs);
}

function configure(node: PgNodePlan, shard: PgShardPlan, ctx: PostgresContext): void {
  const { runAs } = ctx;
  writeHba(node.dataDir);
  writeNodeConfig(node, shard, ctx.passwords[REPLICATION_ROLE]);
  for (const file of ['boxoffice.conf', 'pg_hba.conf', 'postgresql.conf', 'standby.signal']) {
    const p = path.join(node.dataDir, file);
    if (runAs && fs.existsSync(p)) fs.chownSync(p, runAs.uid, runAs.gid);
  }
}

function nodeSpec(node: PgNodePlan, ctx: PostgresContext): ProcessSpec {
  return {
    id: node.id,
    kind: 'postgres',
    label: node.label,
    command: path.join(POSTGRES_BIN, 'postgres'),
    args: ['-D', node.dataDir],
    env: { PATH: process.env.PATH, LC_ALL: 'C' },
    cwd: node.dataDir,
    uid: ctx.runAs?.uid,
    gid: ctx.runAs?.gid,
    logFile: node.logFile,
    // SIGINT is Postgres's fast shutdown: roll back sessions, checkpoint, exit.
    stopSignal: 'SIGINT',
    stopTimeoutMs: 30_000,
    stopOrder: node.role === 'standby' ? 2 : 3,
    ready: (signal: AbortSignal) =>
      pollUntil(
        () =>
          withClient(adminLogin(ctx.passwords), node.port, 'postgres', async (q) => {
            const [row] = await q<{ recovery: boolean }>('select pg_is_in_recovery() as recovery');
            // A standby must be replaying. The role is read from the data dir rather than the plan:
            // a standby promoted by a fault test has lost its standby.signal and restarts as a primary.
            return row.recovery === fs.existsSync(path.join(node.dataDir, 'standby.signal'));
          }),
        { what: `${node.label} on port ${node.port} to accept connections`, timeoutMs: READY_TIMEOUT_MS, signal },
      ),
  };
}

async function ensureSlots(q: PgQuery, shard: PgShardPlan): Promise<void> {
  const wanted = new Set(shard.replicas.map((r) => r.standbyName));
  const existing = await q<{ slot_name: string; active: boolean }>(
    "select slot_name, active from pg_replication_slots where slot_type = 'physical'",
  );
  for (const name of wanted) {
    if (!existing.some((s) => s.slot_name === name)) await q('select pg_create_physical_replication_slot($1, true)', [name]);
  }
  // A slot of a standby no longer configured (fewer replicas this time) would pin WAL forever.
  for (const slot of existing) {
    if (/^shard\d+_(replica|node)\d+$/.test(slot.slot_name) && !wanted.has(slot.slot_name) && !slot.active) {
      await q('select pg_drop_replication_slot($1)', [slot.slot_name]);
    }
  }
}

/**
 * One database per context on this shard, owned by the context's role and
 * closed to every other (postgres-roles.ts), with its CAP choice as its
 * synchronous_commit.
 */
async function ensureDatabases(q: PgQuery, shard: number): Promise<string[]> {
  const existing = new Set((await q<{ datname: string }>('select datname from pg_database')).map((r) => r.datname));
  const created: string[] = [];
  for (const context of contextsOnShard(shard)) {
    if (!existing.has(context.name)) {
      await q(`create database "${context.name}" owner "${context.name}"`);
      created.push(context.name);
    }
    await restrictDatabase(q, context.name, context.name);
    // CP: a commit returns once a standby has it; AP: once it is local.
    const syncCommit = context.cap === 'CP' ? 'on' : 'local';
    await q(`alter database "${context.name}" set synchronous_commit = '${syncCommit}'`);
  }
  return created;
}

/** Waits until every standby of the plan streams from its primary. */
export async function waitForStreaming(shard: PgShardPlan, admin: PgLogin, signal?: AbortSignal): Promise<void> {
  const names = shard.replicas.map((r) => r.standbyName);
  if (names.length === 0) return;
  await pollUntil(
    () =>
      withClient(admin, shard.primary.port, 'postgres', async (q) => {
        const rows = await q<{ application_name: string }>("select application_name from pg_stat_replication where state = 'streaming'");
        return names.every((n) => rows.some((r) => r.application_name === n));
      }),
    { what: `shard ${shard.shard}'s standbys (${names.join(', ')}) to stream from the primary`, timeoutMs: READY_TIMEOUT_MS, signal },
  );
}

/**
 * Standbys beyond the configured count (fewer replicas than last time) lose
 * their slot below, so their data could not catch up again: delete them, and a
 * later larger count seeds them afresh.
 */
function removeUnconfiguredStandbys(shard: PgShardPlan, ctx: PostgresContext): void {
  const pattern = new RegExp(`^shard${shard.shard}-node(\\d+)$`);
  for (const entry of fs.readdirSync(ctx.paths.postgresDir)) {
    const node = Number(pattern.exec(entry)?.[1] ?? 0);
    if (node > shard.replicas.length) {
      fs.rmSync(path.join(ctx.paths.postgresDir, entry), { recursive: true, force: true });
      ctx.say(`shard ${shard.shard}: removed standby ${node}, no longer configured`);
    }
  }
}

/**
 * Nodes fenced by a failover hold data that may have diverged from the new
 * primary: delete them, so they are seeded afresh as its standbys below.
 */
function reseedFencedNodes(shard: PgShardPlan, ctx: PostgresContext): void {
  const topology = readTopology(ctx.paths.postgresDir);
  const current = shardTopology(topology, shard.shard);
  if (current.fenced.length === 0) return;
  for (const standby of shard.replicas.filter((r) => current.fenced.includes(r.node))) {
    fs.rmSync(standby.dataDir, { recursive: true, force: true });
    ctx.say(`shard ${shard.shard}: node ${standby.node} was fenced by a failover; seeding it again as a standby`);
  }
  writeTopology(ctx.paths.postgresDir, { ...topology, [String(shard.shard)]: { primary: current.primary, fenced: [] } });
}

async function startShard(shard: PgShardPlan, ctx: PostgresContext): Promise<void> {
  const { primary } = shard;
  const signal = ctx.options.signal;
  removeUnconfiguredStandbys(shard, ctx);
  reseedFencedNodes(shard, ctx);
  if (!isInitialised(primary.dataDir)) {
    ctx.say(`shard ${shard.shard}: initdb`);
    await initPrimary(primary, ctx);
  }
  configure(primary, shard, ctx);
  for (const standby of shard.replicas) {
    if (!isInitialised(standby.dataDir)) {
      ctx.say(`shard ${shard.shard}: seeding ${standby.standbyName} from the primary`);
      seedStandby(primary, standby, ctx.runAs);
    }
    configure(standby, shard, ctx);
  }

  await ctx.supervisor.start(nodeSpec(primary, ctx), signal);
  ctx.say(`${primary.label} ready on 127.0.0.1:${primary.port}`);
  const admin = adminLogin(ctx.passwords);
  // Slots and the replication role before standbys connect, so a standby never finds either missing and backs off.
  await withClient(admin, primary.port, 'postgres', async (q) => {
    await ensureSlots(q, shard);
    await ensureRoles(q, ctx.passwords);
  });

  const [created] = await allSettledOrThrow<string[] | void>([
    withClient(admin, primary.port, 'postgres', (q) => ensureDatabases(q, shard.shard)),
    ...shard.replicas.map(async (standby) => {
      await ctx.supervisor.start(nodeSpec(standby, ctx), signal);
      ctx.say(`${standby.label} ready on 127.0.0.1:${standby.port}`);
    }),
  ]);
  if (created && created.length > 0) ctx.say(`shard ${shard.shard}: created databases ${created.join(', ')}`);
  await waitForStreaming(shard, admin, signal);
  if (shard.replicas.length > 0) ctx.say(`shard ${shard.shard}: ${shard.replicas.length} standby(s) streaming`);
}

/** Starts every shard (in parallel): primary, slots, standbys, databases. */
export async function startPostgres(shards: PgShardPlan[], ctx: Omit<PostgresContext, 'passwords'>): Promise<void> {
  if (ctx.runAs) {
    // The postgres user must be able to reach its data dirs through ours.
    for (const dir of [ctx.paths.stateDir, ctx.paths.postgresDir]) fs.chmodSync(dir, 0o755);
  }
  const passwords = localPostgresPasswords(ctx.paths.postgresDir);
  await allSettledOrThrow(shards.map((shard) => startShard(shard, { ...ctx, passwords })));
}
