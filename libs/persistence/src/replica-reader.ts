import type { DataSource } from 'typeorm';
import { DatabaseUnavailableError, isUnreachable } from './database-unavailable.js';
import type { ShardNodes } from './shard-cluster.js';

/**
 * Reads for AP contexts: from a replica, falling back across the replicas
 * and then to the primary. Replicas take turns; one that failed recently is
 * tried only after the others. Reads may be slightly stale (asynchronous
 * replication): use them for display, never to decide a change.
 */
export class ReplicaReader {
  private next = 0;

  constructor(
    private readonly shard: number,
    /** Read at every call: after a failover the roles have changed. */
    private readonly nodes: ShardNodes,
  ) {}

  async read<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    const { replicas, primary } = this.nodes;
    const start = this.next++;
    const rotated = replicas.map((_, i) => replicas[(start + i) % replicas.length]);
    const candidates = [...rotated, primary];
    // Nodes that failed a moment ago go last: still tried, as the only hope, but not first.
    const ordered = [...candidates.filter((n) => !n.recentlyDown), ...candidates.filter((n) => n.recentlyDown)];
    let lastError: unknown;
    for (const node of ordered) {
      try {
        const result = await work(await node.connected());
        node.markUp();
        return result;
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        node.markDown();
        lastError = error;
      }
    }
    throw new DatabaseUnavailableError(this.shard, 'no replica and not the primary could be reached for a read', { cause: lastError });
  }
}
