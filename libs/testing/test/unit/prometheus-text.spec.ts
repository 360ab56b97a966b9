import { parsePrometheusText, samplesOf } from '../../src/prometheus-text.js';

const EXPOSITION = `# HELP boxoffice_db_replica_lag_seconds Seconds behind
# TYPE boxoffice_db_replica_lag_seconds gauge
boxoffice_db_replica_lag_seconds{shard="0",node="shard0-node1",service="inventory"} 0
boxoffice_db_replica_lag_seconds{shard="1",node="shard1-replica1",service="inventory"} 0.25
boxoffice_process_start_time_seconds{service="inventory"} 1764150000
boxoffice_up 1 1764150000000
odd{path="a \\"quoted\\" name"} +Inf
`;

describe('parsePrometheusText', () => {
  const samples = parsePrometheusText(EXPOSITION);

  it('reads every sample line with its labels and numeric value, skipping comments', () => {
    expect(samples).toHaveLength(5);
    expect(samples[1]).toEqual({ name: 'boxoffice_db_replica_lag_seconds', labels: { shard: '1', node: 'shard1-replica1', service: 'inventory' }, value: 0.25 });
    expect(samples[3]).toEqual({ name: 'boxoffice_up', labels: {}, value: 1 });
    expect(samples[4]).toEqual({ name: 'odd', labels: { path: 'a "quoted" name' }, value: Infinity });
  });

  it('finds the series of a metric by some of its labels', () => {
    expect(samplesOf(samples, 'boxoffice_db_replica_lag_seconds').map((s) => s.value)).toEqual([0, 0.25]);
    expect(samplesOf(samples, 'boxoffice_db_replica_lag_seconds', { node: 'shard0-node1' })).toHaveLength(1);
    expect(samplesOf(samples, 'boxoffice_db_replica_lag_seconds', { node: 'shard9-replica1' })).toEqual([]);
  });

  it('refuses a line that is not a sample', () => {
    expect(() => parsePrometheusText('this is not a metric line at all')).toThrow(/not a Prometheus sample line/);
  });
});
