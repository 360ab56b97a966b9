import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveOptions } from '../../options.js';
import { statePaths } from '../../paths.js';
import { planPostgres } from '../../postgres-cluster.js';
import { writeNodeConfig } from '../../postgres-config.js';
import { writeTopology } from '../../postgres-topology.js';

/** How the launcher lays out a shard before and after a failover moved its primary. */
describe('postgres plan', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-plan-'));
    fs.mkdirSync(path.join(stateDir, 'postgres'));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  const plan = () => {
    const options = resolveOptions({ stateDir, shards: 2, replicasPerShard: 2, log: () => undefined });
    return planPostgres(options, statePaths(options.stateDir));
  };

  it('makes node 0 the primary of every shard and the others its standbys', () => {
    const [shard0] = plan();
    expect(shard0.primary).toMatchObject({ id: 'pg:shard0-node0', role: 'primary' });
    expect(shard0.replicas.map((r) => [r.id, r.role, r.standbyName])).toEqual([
      ['pg:shard0-node1', 'standby', 'shard0_node1'],
      ['pg:shard0-node2', 'standby', 'shard0_node2'],
    ]);
  });

  it('keeps the promoted node as primary after a failover, and the old primary as one of its standbys', () => {
    writeTopology(path.join(stateDir, 'postgres'), { '1': { primary: 2, fenced: [0] } });
    const [shard0, shard1] = plan();
    expect(shard0.primary.id).toBe('pg:shard0-node0');
    expect(shard1.primary).toMatchObject({ id: 'pg:shard1-node2', role: 'primary' });
    expect(shard1.replicas.map((r) => r.id)).toEqual(['pg:shard1-node0', 'pg:shard1-node1']);
  });

  it('points standbys at the current primary and lets the primary wait for any one of them', () => {
    writeTopology(path.join(stateDir, 'postgres'), { '1': { primary: 1, fenced: [] } });
    const shard1 = plan()[1];
    for (const node of [shard1.primary, ...shard1.replicas]) {
      fs.mkdirSync(node.dataDir, { recursive: true });
      fs.writeFileSync(path.join(node.dataDir, 'postgresql.auto.conf'), "synchronous_standby_names = 'stale'\n");
      writeNodeConfig(node, shard1, 'replication-password');
    }
    const config = (node: { dataDir: string }) => fs.readFileSync(path.join(node.dataDir, 'boxoffice.conf'), 'utf8');
    expect(config(shard1.primary)).toContain("synchronous_standby_names = 'ANY 1 (shard1_node0, shard1_node2)'");
    expect(fs.existsSync(path.join(shard1.primary.dataDir, 'standby.signal'))).toBe(false);
    for (const standby of shard1.replicas) {
      expect(config(standby)).toContain(`port=${shard1.primary.port} `);
      expect(config(standby)).toContain(`application_name=${standby.standbyName}`);
      // Standbys stream as the replication role, with its password: no role logs in without one.
      expect(config(standby)).toContain('user=replicator password=replication-password ');
      expect(fs.existsSync(path.join(standby.dataDir, 'standby.signal'))).toBe(true);
      // What a failover set with ALTER SYSTEM does not outlive the next start.
      expect(fs.readFileSync(path.join(standby.dataDir, 'postgresql.auto.conf'), 'utf8')).not.toContain('stale');
    }
  });

  it('refuses fewer nodes than the promoted primary needs', () => {
    writeTopology(path.join(stateDir, 'postgres'), { '0': { primary: 2, fenced: [] } });
    const options = resolveOptions({ stateDir, shards: 1, replicasPerShard: 1, log: () => undefined });
    expect(() => planPostgres(options, statePaths(options.stateDir))).toThrow(/primary is node 2 since a failover/);
  });
});
