import { type PgLogin, withClient } from './pg-client.js';
import { waitForStreaming } from './postgres-cluster.js';
import { primaryConninfo, type PgNodePlan, type PgShardPlan } from './postgres-config.js';
import { adminLogin, localPostgresPasswords, REPLICATION_ROLE } from './postgres-roles.js';
import { readTopology, writeTopology } from './postgres-topology.js';
import type { Supervisor } from './supervisor.js';

export interface FailoverResult {
  shard: number;
  /** The process id of the promoted node, e.g. pg:shard1-node2. */
  promoted: string;
  port: number;
  /** The old primary, killed and never to be started again as it is. */
  fenced: string;
  /** Standbys that now stream from the promoted node. */
  followers: string[];
}

/**
 * What CloudNativePG (or Patroni) does when a primary is lost, by hand:
 * 1. Fence the old primary (kill it: it must never take a write again).
 * 2. Promote the standby that has received the most WAL: with `ANY 1`
 *    synchronous replication every acknowledged commit is on at least one
 *    standby, and the most advanced one has all of them.
 * 3. Give it the other standbys as its synchronous standbys before it takes
 *    writes, so the shard stays CP; then re-point them at it (they follow its
 *    new timeline) through their replication slots on it.
 * The services find the new primary themselves (libs/persistence ShardCluster).
 * The plan is changed in place and the topology is recorded, so the next start
 * keeps the promoted node as primary and re-seeds the fenced one.
 */
export async function failover(plan: PgShardPlan, supervisor: Supervisor, postgresDir: string, log: (line: string) => void): Promise<FailoverResult> {
  const old = plan.primary;
  const passwords = localPostgresPasswords(postgresDir);
  const admin = adminLogin(passwords);
  // Neither a restart after a crash nor a test's start may bring it back: it would be a second primary (split brain).
  await supervisor.retire(old.id, `${old.id} was fenced by a failover; the next start of the stack seeds it again as a standby.`);
  log(`failover of shard ${plan.shard}: fenced ${old.id}`);

  const candidates = plan.replicas.filter((node) => supervisor.pidOf(node.id) !== undefined);
  if (candidates.length === 0) throw new Error(`shard ${plan.shard} has no running standby to promote`);
  const positions = await Promise.all(candidates.map((node) => walPosition(node, admin)));
  const best = positions.reduce((a, b) => (b > a ? b : a));
  const chosen = candidates[positions.indexOf(best)];
  const followers = candidates.filter((node) => node !== chosen);

  await withClient(admin, chosen.port, 'postgres', async (q) => {
    // Before promotion, so not one commit is acknowledged without a standby confirming it.
    const names = followers.map((f) => f.standbyName).join(', ');
    await q(`ALTER SYSTEM SET synchronous_standby_names = '${names ? `ANY 1 (${names})` : ''}'`);
    await q('SELECT pg_reload_conf()');
    await q('SELECT pg_promote(true, 60)');
    for (const follower of followers) {
      await q('SELECT pg_create_physical_replication_slot($1, true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)', [follower.standbyName]);
    }
  });
  log(`failover of shard ${plan.shard}: promoted ${chosen.id} (received WAL up to byte ${best})`);

  for (const follower of followers) {
    await withClient(admin, follower.port, 'postgres', async (q) => {
      await q(`ALTER SYSTEM SET primary_conninfo = '${primaryConninfo(chosen.port, follower.standbyName, passwords[REPLICATION_ROLE])}'`);
      await q('SELECT pg_reload_conf()');
    });
  }
  await waitForStreaming({ shard: plan.shard, primary: chosen, replicas: followers }, admin);
  log(`failover of shard ${plan.shard}: ${followers.map((f) => f.id).join(', ') || 'no standby'} streaming from ${chosen.id}`);

  reassignRoles(plan, chosen);
  const topology = readTopology(postgresDir);
  writeTopology(postgresDir, { ...topology, [String(plan.shard)]: { primary: chosen.node, fenced: [old.node] } });
  return { shard: plan.shard, promoted: chosen.id, port: chosen.port, fenced: old.id, followers: followers.map((f) => f.id) };
}

/** How far a standby has received the primary's WAL, in bytes. */
async function walPosition(node: PgNodePlan, admin: PgLogin): Promise<bigint> {
  return withClient(admin, node.port, 'postgres', async (q) => {
    const [row] = await q<{ position: string }>(
      "SELECT pg_wal_lsn_diff(coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), '0/0')::bigint::text AS position",
    );
    return BigInt(row.position);
  });
}

function reassignRoles(plan: PgShardPlan, promoted: PgNodePlan): void {
  const nodes = [plan.primary, ...plan.replicas].sort((a, b) => a.node - b.node);
  for (const node of nodes) node.role = node === promoted ? 'primary' : 'standby';
  plan.primary = promoted;
  plan.replicas = nodes.filter((n) => n !== promoted);
}
