import type { DataSource } from 'typeorm';
import { withDeadline, type DatabaseNode, type ShardNodes } from '@boxoffice/persistence';

/** Health checks and metric scrapes give every node this long; a dead node must not hang either. */
export const PROBE_TIMEOUT_MS = 1000;

/** On the primary: each standby, whether it is synchronous, and how far behind it is (bytes of WAL not yet replayed). */
export const PRIMARY_REPLICATION = `SELECT application_name AS standby, state, sync_state,
  pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes FROM pg_stat_replication ORDER BY application_name`;

/**
 * On a replica: seconds since the last replayed transaction committed on the
 * primary; 0 when everything received is replayed (an idle primary is not lag).
 */
export const REPLICA_LAG = `SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric, 3) END AS lag_seconds`;

/** On the primary: outbox rows not yet published (a partial index covers exactly these). */
const OUTBOX_BACKLOG = `SELECT count(*)::int AS unpublished FROM outbox WHERE published_at IS NULL`;

/**
 * PRIMARY_REPLICATION with the outbox backlog on every row, so a metrics
 * scrape asks the primary once. The backlog drives the join: with no standby
 * connected it is still one row, its standby null.
 */
export const PRIMARY_REPLICATION_AND_OUTBOX = `SELECT replication.standby, replication.state, replication.sync_state, replication.lag_bytes, backlog.unpublished
  FROM (${OUTBOX_BACKLOG}) backlog LEFT JOIN (${PRIMARY_REPLICATION}) replication ON true ORDER BY replication.standby`;

export type Probe = { up: true; rows: Record<string, unknown>[] } | { up: false; error: string };

/** One node's answer to one query within PROBE_TIMEOUT_MS, or why not. */
async function probe(node: DatabaseNode, sql: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<Probe> {
  const query = node.connected().then((dataSource: DataSource) => dataSource.query<Record<string, unknown>[]>(sql));
  // The race may be lost by the query; its later failure must not be an unhandled rejection.
  query.catch(() => undefined);
  try {
    return { up: true, rows: await withDeadline(query, timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`)) };
  } catch (error) {
    return { up: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export interface ReplicaState {
  node: string;
  probe: Probe;
  /** Null when the replica did not answer: an unknown lag is not a zero lag. */
  lagSeconds: number | null;
}

export interface ShardState {
  primary: { node: string; probe: Probe };
  replicas: ReplicaState[];
}

/**
 * The primary's view of its standbys (PRIMARY_REPLICATION, or a query that
 * answers it and more) and each replica's own replay lag, probed in parallel.
 */
export async function probeShard(shard: ShardNodes, primaryQuery = PRIMARY_REPLICATION): Promise<ShardState> {
  const [primary, ...replicas] = await Promise.all([probe(shard.primary, primaryQuery), ...shard.replicas.map((replica) => probe(replica, REPLICA_LAG))]);
  return {
    primary: { node: shard.primary.label, probe: primary },
    replicas: shard.replicas.map((replica, i) => ({ node: replica.label, probe: replicas[i], lagSeconds: lagSecondsOf(replicas[i]) })),
  };
}

/** Postgres returns `numeric` as a string; a replica that answered nothing usable has no known lag. */
export function lagSecondsOf(answer: Probe): number | null {
  if (!answer.up) return null;
  const raw = answer.rows[0]?.lag_seconds;
  if (raw === null || raw === undefined) return null;
  const seconds = Number(raw);
  return Number.isFinite(seconds) ? seconds : null;
}
