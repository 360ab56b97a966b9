import type { DataSource } from 'typeorm';
import { DatabaseUnavailableError, isUnreachable } from './database-unavailable.js';
import type { DatabaseNode } from './database-node.js';

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
    private readonly replicas: DatabaseNode[],
    private readonly primary: DatabaseNode,
  ) {}

  async read<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    const start = this.next++;
    const rotated = this.replicas.map((_, i) => this.replicas[(start + i) % this.replicas.length]);
    const candidates = [...rotated, this.primary];
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
