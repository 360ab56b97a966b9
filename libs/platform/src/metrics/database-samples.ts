import type { ShardState } from '../health/shard-probe.js';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface DatabaseSamples {
  nodeUp: Sample[];
  replicaLagSeconds: Sample[];
  standbyLagBytes: Sample[];
  outboxUnpublished: Sample[];
}

/**
 * Turns probe answers into gauge samples. A value that could not be read is
 * left out rather than reported as 0: a missing series is what Prometheus
 * alerting expects for "unknown", and 0 would read as "no lag" or "nothing
 * waiting". The outbox backlog comes with the primary's answer
 * (PRIMARY_REPLICATION_AND_OUTBOX) when the context publishes.
 */
export function databaseSamples(shards: ShardState[]): DatabaseSamples {
  const samples: DatabaseSamples = { nodeUp: [], replicaLagSeconds: [], standbyLagBytes: [], outboxUnpublished: [] };
  shards.forEach((state, index) => {
    const shard = String(index);
    samples.nodeUp.push({ labels: { shard, node: state.primary.node, role: 'primary' }, value: state.primary.probe.up ? 1 : 0 });
    for (const replica of state.replicas) {
      samples.nodeUp.push({ labels: { shard, node: replica.node, role: 'replica' }, value: replica.probe.up ? 1 : 0 });
      if (replica.lagSeconds !== null) samples.replicaLagSeconds.push({ labels: { shard, node: replica.node }, value: replica.lagSeconds });
    }
    if (state.primary.probe.up) {
      const rows = state.primary.probe.rows;
      for (const row of rows) {
        const bytes = numberOf(row.lag_bytes);
        if (typeof row.standby === 'string' && bytes !== null) samples.standbyLagBytes.push({ labels: { shard, standby: row.standby }, value: bytes });
      }
      const unpublished = numberOf(rows[0]?.unpublished);
      if (unpublished !== null) samples.outboxUnpublished.push({ labels: { shard }, value: unpublished });
    }
  });
  return samples;
}

/** node-postgres returns bigint and numeric as strings. */
function numberOf(raw: unknown): number | null {
  if (raw === null || raw === undefined || raw === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}
