import type { OnApplicationShutdown } from '@nestjs/common';
import { AssignerProtocol, Kafka, type Admin, type GroupDescription } from 'kafkajs';
import type { ConsumerGroupsView, KafkaClusterView } from '@boxoffice/contracts';
import { kafkaClientConfig, type KafkaSettings } from '@boxoffice/messaging';
import { ProblemException } from '@boxoffice/platform';
import { SEAT_FEED_GROUP_PREFIX } from '../seat-feed.js';
import { OPERATIONS_GROUP_PREFIX } from './operations-feed.js';

/** An admin request that takes longer than this answers 503: the console must not hang on a broker that is away. */
const ADMIN_TIMEOUT_MS = 5000;

type EndOffsets = Map<number, { high: bigint; low: bigint }>;

/**
 * The gateway's own readers, which follow topics without consuming them and
 * commit nothing: the operations feed and the live seat feed. Counted from
 * the partitions' start, their "lag" would be whole topics, growing with
 * every sale, in the console's total.
 */
const READERS_THAT_COMMIT_NOTHING = [OPERATIONS_GROUP_PREFIX, SEAT_FEED_GROUP_PREFIX];

/**
 * Kafka as its admin API describes it, asked when the console asks: the
 * brokers, and every consumer group with its members and its lag. Each call
 * costs a handful of metadata requests (one per group for its committed
 * offsets, one per topic for its end offsets), never a read of a topic.
 */
export class KafkaAdminView implements OnApplicationShutdown {
  private readonly admin: Admin;
  private connecting?: Promise<void>;

  constructor(kafka: KafkaSettings) {
    this.admin = new Kafka({ ...kafkaClientConfig(kafka), retry: { retries: 1, initialRetryTime: 100 } }).admin();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }

  /** The brokers in the cluster's metadata (those that are up), or why Kafka cannot be asked. */
  async cluster(): Promise<KafkaClusterView> {
    try {
      const { brokers, controller, clusterId } = await this.ask(() => this.admin.describeCluster());
      return {
        status: 'up',
        clusterId,
        brokers: brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, controller: b.nodeId === controller })).sort((a, b) => a.nodeId - b.nodeId),
      };
    } catch (error) {
      return { status: 'down', error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Every consumer group, its members and its lag per topic and partition; 503 without Kafka. */
  async consumerGroups(): Promise<ConsumerGroupsView> {
    return this.answerOr503(async () => {
      const { groups } = await this.admin.listGroups();
      const ids = groups.filter((g) => g.protocolType === 'consumer').map((g) => g.groupId).sort();
      if (ids.length === 0) return { groups: [] };
      const described = (await this.admin.describeGroups(ids)).groups;
      const endOffsets = new Map<string, Promise<EndOffsets>>();
      const endOffsetsOf = (topic: string) => {
        let known = endOffsets.get(topic);
        if (!known) {
          known = this.admin.fetchTopicOffsets(topic).then((rows) => new Map(rows.map((r) => [r.partition, { high: BigInt(r.high), low: BigInt(r.low) }])));
          endOffsets.set(topic, known);
        }
        return known;
      };
      return { groups: await Promise.all(described.map((group) => this.groupView(group, endOffsetsOf))) };
    });
  }

  /** Records each topic holds now (end offset less start offset, per partition, summed). */
  async storedRecords(topics: string[]): Promise<Map<string, number>> {
    return this.answerOr503(async () => {
      const counts = await Promise.all(topics.map(async (topic) => (await this.admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0)));
      return new Map(topics.map((topic, i) => [topic, counts[i]]));
    });
  }

  private async groupView(group: GroupDescription, endOffsetsOf: (topic: string) => Promise<EndOffsets>): Promise<ConsumerGroupsView['groups'][number]> {
    const members = group.members.map((member) => {
      const decoded = member.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment) : null;
      const assignment = Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }));
      return { clientId: member.clientId, host: member.clientHost, assignment: assignment.sort((a, b) => a.topic.localeCompare(b.topic)) };
    });
    const committed = await this.admin.fetchOffsets({ groupId: group.groupId });
    // The topics it committed on, and those its members are assigned (a group that has not committed yet lags all the
    // same), except for the gateway's own readers, which commit nothing and have no lag to show.
    const readsOnly = READERS_THAT_COMMIT_NOTHING.some((prefix) => group.groupId.startsWith(prefix));
    const assigned = readsOnly ? [] : members.flatMap((m) => m.assignment.map((a) => a.topic));
    const topics = new Set([...committed.map((c) => c.topic), ...assigned]);
    const topicViews = await Promise.all(
      [...topics].sort().map(async (topic) => {
        const ends = await endOffsetsOf(topic);
        const offsets = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
        const partitions = [...ends.entries()]
          .sort(([a], [b]) => a - b)
          .map(([partition, { high, low }]) => {
            const at = offsets.get(partition);
            const has = at !== undefined && at >= 0n;
            const lag = high - (has ? at : low);
            return { partition, committedOffset: has ? String(at) : null, endOffset: String(high), lag: Number(lag > 0n ? lag : 0n) };
          });
        return { topic, lag: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
      }),
    );
    return { groupId: group.groupId, state: group.state, members, lag: topicViews.reduce((sum, t) => sum + t.lag, 0), topics: topicViews };
  }

  private async answerOr503<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.ask(work);
    } catch (error) {
      throw ProblemException.unavailable(`Kafka did not answer (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** Connects when needed (again after a failure) and bounds the whole request by ADMIN_TIMEOUT_MS. */
  private ask<T>(work: () => Promise<T>): Promise<T> {
    this.connecting ??= this.admin.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    const answer = this.connecting.then(work);
    answer.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ADMIN_TIMEOUT_MS} ms`)), ADMIN_TIMEOUT_MS)));
    return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
  }
}
