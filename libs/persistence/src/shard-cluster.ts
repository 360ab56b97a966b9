import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CommitGate } from './commit-gate.js';
import type { DatabaseNode } from './database-node.js';
import { DatabaseUnavailableError } from './database-unavailable.js';

/** A physical shard: its primary (reads and writes) and its streaming replicas (AP reads). */
export interface ShardNodes {
  readonly primary: DatabaseNode;
  readonly replicas: DatabaseNode[];
}

/** How often a shard may look for its primary again after a failed write. */
const LOCATE_INTERVAL_MS = 1000;

/**
 * One physical shard: every node we were told about, and which of them is the
 * primary now. The configured primary is the first guess. When a write finds
 * it unreachable or read-only, every node is asked `pg_is_in_recovery()` and
 * the one that is not in recovery takes the writes (libpq's
 * `target_session_attrs=read-write`, which node-postgres lacks), so a standby
 * promoted by a failover is found without restarting the service. In
 * Kubernetes the configured primary is CloudNativePG's `-rw` Service, which
 * follows the primary itself; the search then finds the same address again.
 *
 * Two nodes that both say they are primary is a split brain (an old primary
 * restarted without being fenced): writes are refused until one of them is
 * gone, because a CP shard refuses rather than diverges.
 */
export class ShardCluster implements ShardNodes {
  private readonly logger = new Logger('ShardCluster');
  /** Whether this shard's commits are being confirmed, as this process has seen them (CommitGate). */
  readonly commits = new CommitGate();
  private current: DatabaseNode;
  private splitBrain = false;
  private locating?: Promise<boolean>;
  private lastLocatedAt = 0;

  constructor(
    readonly index: number,
    /** The configured primary first, then the replicas, in configuration order. */
    readonly nodes: readonly DatabaseNode[],
  ) {
    this.current = nodes[0];
  }

  async close(): Promise<void> {
    this.commits.close();
    await Promise.all(this.nodes.map((node) => node.close()));
  }

  get primary(): DatabaseNode {
    return this.current;
  }

  get replicas(): DatabaseNode[] {
    return this.nodes.filter((node) => node !== this.current);
  }

  /** The primary's DataSource, or DatabaseUnavailableError (503) while there is no usable primary. */
  primaryDataSource(): DataSource {
    if (this.splitBrain) throw new DatabaseUnavailableError(this.index, 'more than one node claims to be the primary; fence one of them');
    const node = this.current;
    if (!node.dataSource.isInitialized) {
      this.primaryLost();
      throw new DatabaseUnavailableError(this.index, 'the primary is not connected');
    }
    return node.dataSource;
  }

  /** DatabaseUnavailableError (503) while this shard's commits are not being confirmed (CommitGate). */
  refuseWritesWhileStalled(): void {
    if (this.commits.isStalled) {
      throw new DatabaseUnavailableError(this.index, 'commits are not being confirmed (no synchronous standby?); writes are refused until a probe commits');
    }
  }

  /**
   * A write found the primary unreachable or read-only: look for the primary
   * again in the background (one search at a time, at most once a second).
   * The write itself has already failed with 503; the client's retry finds
   * the new primary.
   */
  primaryLost(): void {
    if (this.locating || Date.now() - this.lastLocatedAt < LOCATE_INTERVAL_MS) return;
    void this.locatePrimary();
  }

  /** Asks every node whether it is in recovery and adopts the only one that is not. True when a primary is known. */
  locatePrimary(): Promise<boolean> {
    this.locating ??= this.locate().finally(() => {
      this.locating = undefined;
      this.lastLocatedAt = Date.now();
    });
    return this.locating;
  }

  private async locate(): Promise<boolean> {
    const answers = await Promise.all(this.nodes.map((node) => isPrimary(node)));
    const primaries = this.nodes.filter((_, i) => answers[i]);
    if (primaries.length > 1) {
      if (!this.splitBrain) this.logger.error({ msg: 'split brain: refusing writes until one primary is fenced', shard: this.index, nodes: primaries.map((n) => n.label) });
      this.splitBrain = true;
      return false;
    }
    this.splitBrain = false;
    const [found] = primaries;
    if (!found) return false;
    if (found !== this.current) {
      this.logger.warn({ msg: 'the primary has moved', shard: this.index, from: this.current.label, to: found.label });
      this.current = found;
    }
    return true;
  }
}

async function isPrimary(node: DatabaseNode): Promise<boolean> {
  try {
    const dataSource = await node.connected();
    const [row]: { recovery: boolean }[] = await dataSource.query('SELECT pg_is_in_recovery() AS recovery');
    node.markUp();
    return !row.recovery;
  } catch {
    node.markDown();
    return false;
  }
}
