import { lagSecondsOf, type Probe, type ShardState } from '../../src/health/shard-probe.js';
import { databaseSamples } from '../../src/metrics/database-samples.js';

const up = (rows: Record<string, unknown>[]): Probe => ({ up: true, rows });
const down: Probe = { up: false, error: 'connect ECONNREFUSED 127.0.0.1:5432' };

function shard(index: number, primary: Probe, replicas: Probe[]): ShardState {
  return {
    primary: { node: `shard${index}-node0`, probe: primary },
    replicas: replicas.map((probe, r) => ({ node: `shard${index}-node${r + 1}`, probe, lagSeconds: lagSecondsOf(probe) })),
  };
}

describe('lagSecondsOf', () => {
  it('reads the numeric string Postgres returns', () => {
    expect(lagSecondsOf(up([{ lag_seconds: '1.250' }]))).toBe(1.25);
    expect(lagSecondsOf(up([{ lag_seconds: '0' }]))).toBe(0);
  });

  it('knows no lag for a replica that did not answer, or that has replayed nothing yet', () => {
    expect(lagSecondsOf(down)).toBeNull();
    expect(lagSecondsOf(up([{ lag_seconds: null }]))).toBeNull();
    expect(lagSecondsOf(up([]))).toBeNull();
  });
});

describe('databaseSamples', () => {
  it('reports every node as up or down, per shard, with its role', () => {
    const samples = databaseSamples([shard(0, up([]), [up([{ lag_seconds: '0' }])]), shard(1, down, [down])]);
    expect(samples.nodeUp).toEqual([
      { labels: { shard: '0', node: 'shard0-node0', role: 'primary' }, value: 1 },
      { labels: { shard: '0', node: 'shard0-node1', role: 'replica' }, value: 1 },
      { labels: { shard: '1', node: 'shard1-node0', role: 'primary' }, value: 0 },
      { labels: { shard: '1', node: 'shard1-node1', role: 'replica' }, value: 0 },
    ]);
  });

  it('gives a lag for each replica that answered, and none for one that did not', () => {
    const samples = databaseSamples([shard(0, up([]), [up([{ lag_seconds: '0.5' }]), down])]);
    expect(samples.replicaLagSeconds).toEqual([{ labels: { shard: '0', node: 'shard0-node1' }, value: 0.5 }]);
  });

  it('takes the standbys’ WAL lag from the primary, skipping a standby that has replayed nothing yet', () => {
    const primary = up([
      { standby: 'shard0_node1', state: 'streaming', sync_state: 'quorum', lag_bytes: '4096' },
      { standby: 'shard0_replica2', state: 'startup', sync_state: 'async', lag_bytes: null },
    ]);
    expect(databaseSamples([shard(0, primary, [])]).standbyLagBytes).toEqual([{ labels: { shard: '0', standby: 'shard0_node1' }, value: 4096 }]);
  });

  it('counts the outbox backlog only where the primary answered it', () => {
    const samples = databaseSamples([
      shard(0, up([{ standby: 'shard0_node1', state: 'streaming', sync_state: 'quorum', lag_bytes: '0', unpublished: 3 }]), []),
      shard(1, down, []),
      shard(2, up([{ standby: 'shard2_node1', state: 'streaming', sync_state: 'quorum', lag_bytes: '0' }]), []),
    ]);
    expect(samples.outboxUnpublished).toEqual([{ labels: { shard: '0' }, value: 3 }]);
  });

  it('reads the backlog, and no standby, from a primary that has no standby connected', () => {
    const samples = databaseSamples([shard(0, up([{ standby: null, state: null, sync_state: null, lag_bytes: null, unpublished: 0 }]), [])]);
    expect(samples.outboxUnpublished).toEqual([{ labels: { shard: '0' }, value: 0 }]);
    expect(samples.standbyLagBytes).toEqual([]);
  });
});
