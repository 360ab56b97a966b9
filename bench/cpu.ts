import { readdirSync, readFileSync } from 'node:fs';
import type { StackDescription } from '../tools/stack/stack-description.js';

/**
 * CPU time of whole process trees, from /proc: a Postgres postmaster forks a
 * backend per connection and Kafka runs threads, so a pid alone undercounts.
 * Children that exited are included through the parent's cutime/cstime once
 * the parent reaped them.
 */
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
    const at = (field: number) => Number(fields[field - 3]);
    return { pid, ppid: at(4), ticks: at(14) + at(15) + at(16) + at(17) };
  } catch {
    return undefined; // gone in the meantime
  }
}

/** CPU-seconds used so far by each root pid and all of its descendants. */
export function treeCpuSeconds(roots: number[]): number {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const s of all) (children.get(s.ppid) ?? children.set(s.ppid, []).get(s.ppid)!).push(s);
  const byPid = new Map(all.map((s) => [s.pid, s]));
  let ticks = 0;
  const seen = new Set<number>();
  const visit = (pid: number) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    ticks += byPid.get(pid)?.ticks ?? 0;
    for (const child of children.get(pid) ?? []) visit(child.pid);
  };
  roots.forEach(visit);
  return ticks / TICKS_PER_SECOND;
}

/** This process (the load generator), to say how much of the machine it took. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Every process of a stack by name (app instance, Postgres node, Kafka broker) → its pid. */
export function stackProcesses(d: StackDescription): Record<string, number> {
  const entries: [string, number | null][] = [
    ...Object.values(d.apps).flat().map((a): [string, number | null] => [a.instance, a.pid]),
    ...d.postgres.shards.flatMap((s) => [s.primary, ...s.replicas]).map((n): [string, number | null] => [n.id, n.pid]),
    ...d.kafka.nodes.map((n): [string, number | null] => [n.id, n.pid]),
  ];
  return Object.fromEntries(entries.filter((e): e is [string, number] => e[1] !== null));
}

/** What each process of a stack is, for reading its CPU by role: its app, Postgres primaries or standbys, Kafka. */
export function processRoles(d: StackDescription): Record<string, string> {
  return Object.fromEntries([
    ...Object.entries(d.apps).flatMap(([app, instances]) => instances.map((a) => [a.instance, app])),
    ...d.postgres.shards.flatMap((s) => [[s.primary.id, 'Postgres primaries'], ...s.replicas.map((n) => [n.id, 'Postgres standbys'])]),
    ...d.kafka.nodes.map((n) => [n.id, 'Kafka']),
  ]);
}

/** A clock of the CPU-seconds these process trees and this process used so far (for the floors). */
export function cpuClock(pids: number[]): () => number {
  return () => treeCpuSeconds(pids) + ownCpuSeconds();
}

/** The Postgres nodes (primary and standbys) of the shard whose primary a URL points at. */
export function shardNodePids(d: StackDescription, primaryUrl: string): number[] {
  const port = Number(new URL(primaryUrl).port);
  const shard = d.postgres.shards.find((s) => s.primary.port === port);
  if (!shard) throw new Error(`no Postgres shard of this stack listens on port ${port}`);
  return [shard.primary, ...shard.replicas].map((n) => n.pid).filter((pid): pid is number => pid !== null);
}

/** The Kafka brokers' processes. */
export function brokerPids(d: StackDescription): number[] {
  return d.kafka.nodes.map((n) => n.pid).filter((pid): pid is number => pid !== null);
}
