import type { ContextDatabasesView, ShardDatabaseView, StandbyReplicationView } from '@boxoffice/contracts';
import type { ShardNodes } from '@boxoffice/persistence';
import { probeShard, type ShardState } from '../health/shard-probe.js';

/**
 * On the primary: every standby it knows of, by its replication slot (so a
 * standby that is down is still listed, and the WAL it has not received
 * grows) or by its connection (a standby streaming without a slot), with its
 * lag in bytes: what it has not replayed while connected, what it has not
 * even received while not.
 */
export const PRIMARY_STANDBYS = `SELECT COALESCE(replication.application_name, slot.slot_name) AS standby,
    replication.pid IS NOT NULL AS connected, replication.state, replication.sync_state,
    pg_wal_lsn_diff(pg_current_wal_lsn(), COALESCE(replication.replay_lsn, slot.restart_lsn))::bigint AS lag_bytes
  FROM pg_replication_slots slot FULL JOIN pg_stat_replication replication ON replication.pid = slot.active_pid
  WHERE slot.slot_type = 'physical' OR slot.slot_name IS NULL`;

/** PRIMARY_STANDBYS with the outbox backlog on every row: one round trip; with no standby at all, still one row. */
export const PRIMARY_STANDBYS_AND_OUTBOX = `SELECT standbys.*, backlog.unpublished
  FROM (SELECT count(*)::int AS unpublished FROM outbox WHERE published_at IS NULL) backlog
  LEFT JOIN (${PRIMARY_STANDBYS}) standbys ON true ORDER BY standbys.standby`;

/**
 * This context's view of every shard it has a database on, for the
 * operations console: each node up or down and a standby's replay lag
 * (one small query per node, PROBE_TIMEOUT_MS each, all in parallel), the
 * primary's view of its standbys and the outbox backlog (one query on the
 * primary; the backlog is counted on a partial index of exactly the
 * unpublished rows).
 */
export async function contextDatabases(context: string, shards: readonly ShardNodes[]): Promise<ContextDatabasesView> {
  const states = await Promise.all(shards.map((shard) => probeShard(shard, PRIMARY_STANDBYS_AND_OUTBOX)));
  return { context, shards: states.map((state, shard) => shardView(shard, state)) };
}

export function shardView(shard: number, state: ShardState): ShardDatabaseView {
  const { primary } = state;
  const rows = primary.probe.up ? primary.probe.rows : null;
  return {
    shard,
    nodes: [
      primary.probe.up
        ? { node: primary.node, role: 'primary', status: 'up', lagSeconds: null }
        : { node: primary.node, role: 'primary', status: 'down', error: primary.probe.error, lagSeconds: null },
      ...state.replicas.map(({ node, probe, lagSeconds }) =>
        probe.up ? { node, role: 'standby' as const, status: 'up' as const, lagSeconds } : { node, role: 'standby' as const, status: 'down' as const, error: probe.error, lagSeconds: null },
      ),
    ],
    replication: rows && rows.filter((row) => typeof row.standby === 'string').map(standbyOf),
    outboxUnpublished: rows ? numberOf(rows[0]?.unpublished) : null,
  };
}

function standbyOf(row: Record<string, unknown>): StandbyReplicationView {
  return {
    standby: String(row.standby),
    connected: row.connected === true,
    state: typeof row.state === 'string' ? row.state : null,
    syncState: typeof row.sync_state === 'string' ? row.sync_state : null,
    lagBytes: numberOf(row.lag_bytes),
  };
}

/** node-postgres returns bigint as a string. */
function numberOf(raw: unknown): number | null {
  if (raw === null || raw === undefined || raw === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}
