import { Kafka, logLevel, type Admin } from 'kafkajs';
import { MessageFlows } from '../../libs/contracts/src/message-flows.js';
import type { Violation } from './check-invariants.js';

/**
 * Whether every context still consumes what is sent to it, as Kafka's admin
 * API sees its consumer group: the data checks of check-invariants.ts cannot
 * see a consumer that stopped (it left its group, its loop crashed, a
 * partition is stuck on one message), because nothing is wrong with the
 * data yet: the messages just wait. Each app's readiness and /metrics say so
 * from inside (libs/platform/src/health/consumer-health.ts); this says it
 * from outside, to whoever runs `npm run check-invariants` after an incident.
 *
 * Two samples, `sampleIntervalMs` apart, of each context's group on each of
 * its topics (libs/contracts/src/message-flows.ts): a group with no member in
 * either sample consumes nothing; a partition that had messages waiting at
 * the first sample and whose committed offset did not move by the second is
 * stuck. A partition with nothing waiting is never reported, and neither is
 * lag that a live consumer is working through.
 */
export interface ConsumerCheckInput {
  brokers: string[];
  /** How long between the two samples (default 10 s). */
  sampleIntervalMs?: number;
  /** The groups to check and the topics each consumes; every context's group by default. */
  groups?: Map<string, string[]>;
}

interface PartitionSample {
  committed: bigint | null;
  lag: bigint;
}

interface GroupSample {
  state: string;
  members: number;
  /** `topic/partition` → where the group stands on it. */
  partitions: Map<string, PartitionSample>;
}

/** Every context's consumer group (named after the context) with the topics it consumes. */
export function contextConsumerGroups(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const flow of MessageFlows) {
    for (const context of flow.consumers) {
      const topics = groups.get(context) ?? [];
      if (!topics.includes(flow.contract.topic)) topics.push(flow.contract.topic);
      groups.set(context, topics);
    }
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

export async function checkConsumers(input: ConsumerCheckInput): Promise<Violation[]> {
  const groups = input.groups ?? contextConsumerGroups();
  const interval = input.sampleIntervalMs ?? 10_000;
  const admin = new Kafka({ clientId: 'boxoffice-check-invariants', brokers: input.brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries: 2 } }).admin();
  try {
    await admin.connect();
    const first = await sample(admin, groups);
    await new Promise((resolve) => setTimeout(resolve, interval));
    const second = await sample(admin, groups);
    return judge(groups, first, second, interval);
  } catch (error) {
    return [{ rule: 'consumers-checked', detail: `Kafka did not answer, so no consumer group could be checked: ${error instanceof Error ? error.message : String(error)}` }];
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function judge(groups: Map<string, string[]>, first: Map<string, GroupSample>, second: Map<string, GroupSample>, interval: number): Violation[] {
  const violations: Violation[] = [];
  for (const group of groups.keys()) {
    const before = first.get(group) as GroupSample;
    const after = second.get(group) as GroupSample;
    if (before.members === 0 && after.members === 0) {
      const waiting = [...after.partitions].filter(([, p]) => p.lag > 0n).map(([where, p]) => `${where} (${p.lag})`);
      violations.push({
        rule: 'consumer-groups-have-members',
        detail: `${group}: no member in its consumer group (state ${after.state}), so nothing consumes ${groups.get(group)?.join(', ')}; ${waiting.length === 0 ? 'no message waits yet' : `messages waiting on ${waiting.join(', ')}`}`,
      });
      continue;
    }
    for (const [where, was] of before.partitions) {
      const now = after.partitions.get(where);
      if (!now || was.lag === 0n || now.committed !== was.committed) continue;
      violations.push({
        rule: 'consumer-partitions-progress',
        detail: `${group}: ${where} made no progress in ${interval / 1000} s (committed offset ${was.committed ?? 'none'}, ${now.lag} message(s) waiting; the group has ${after.members} member(s), state ${after.state})`,
      });
    }
  }
  return violations;
}

async function sample(admin: Admin, groups: Map<string, string[]>): Promise<Map<string, GroupSample>> {
  const described = new Map((await admin.describeGroups([...groups.keys()])).groups.map((g) => [g.groupId, g]));
  const topics = [...new Set([...groups.values()].flat())];
  const ends = new Map(await Promise.all(topics.map(async (topic) => [topic, await admin.fetchTopicOffsets(topic)] as const)));
  const samples = new Map<string, GroupSample>();
  for (const [group, consumed] of groups) {
    const description = described.get(group);
    const committed = await admin.fetchOffsets({ groupId: group, topics: consumed });
    const partitions = new Map<string, PartitionSample>();
    for (const topic of consumed) {
      const offsets = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
      for (const { partition, high, low } of ends.get(topic) ?? []) {
        const at = offsets.get(partition);
        const has = at !== undefined && at >= 0n;
        const lag = BigInt(high) - (has ? (at as bigint) : BigInt(low));
        partitions.set(`${topic}/${partition}`, { committed: has ? (at as bigint) : null, lag: lag > 0n ? lag : 0n });
      }
    }
    samples.set(group, { state: description?.state ?? 'Dead', members: description?.members.length ?? 0, partitions });
  }
  return samples;
}
