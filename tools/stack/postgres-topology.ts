import * as fs from 'fs';
import * as path from 'path';
import { writeJsonAtomic } from './pid-registry.js';

/**
 * Which node of each shard is the primary, when a failover has moved it away
 * from node 0, and which nodes were fenced (an old primary must never come
 * back as a primary: its data may have diverged). Kept in the state dir so
 * the next start runs the promoted node as the primary and re-seeds the
 * fenced ones as its standbys.
 */
export interface ShardTopology {
  primary: number;
  fenced: number[];
}

export type PostgresTopology = Record<string, ShardTopology>;

export function topologyFile(postgresDir: string): string {
  return path.join(postgresDir, 'topology.json');
}

export function readTopology(postgresDir: string): PostgresTopology {
  const file = topologyFile(postgresDir);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as PostgresTopology) : {};
}

export function shardTopology(topology: PostgresTopology, shard: number): ShardTopology {
  return topology[String(shard)] ?? { primary: 0, fenced: [] };
}

export function writeTopology(postgresDir: string, topology: PostgresTopology): void {
  writeJsonAtomic(topologyFile(postgresDir), topology);
}
