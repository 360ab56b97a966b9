import { type Admin, AssignerProtocol, ConfigResourceTypes, Kafka, logLevel, type IHeaders } from 'kafkajs';
import { fixKafkajsIdleTimer, IdempotentProducer } from '@boxoffice/messaging';

export interface RawMessage {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  /** The bytes as the broker holds them, for byte-for-byte comparisons. */
  keyBytes: Buffer | null;
  valueBytes: Buffer | null;
  partition: number;
  offset: string;
}

/** Direct broker access for tests: inject raw (even malformed) messages and read topics back. */
export class KafkaProbe {
  private readonly kafka: Kafka;

  constructor(brokers: string[]) {
    // As the apps' clients have it (ADR 0013): no timer re-armed every millisecond, with a negative delay.
    fixKafkajsIdleTimer();
    this.kafka = new Kafka({ clientId: 'boxoffice-tests', brokers, logLevel: logLevel.NOTHING });
  }

  /** Runs `work` with an admin client connected for it, disconnected afterwards whatever happens. */
  private async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** Produces and returns where each batch landed (partition and base offset). */
  async produce(topic: string, messages: { key?: string | Buffer | null; value: string | Buffer | null; headers?: Record<string, string | Buffer> }[]): Promise<{ partition: number; offset: string }[]> {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const metadata = await producer.send({ topic, acks: -1, messages });
      return metadata.map((m) => ({ partition: m.partition, offset: m.baseOffset ?? '-1' }));
    } finally {
      await producer.disconnect();
    }
  }

  /** The group's state and its members' client ids, for a failure message. */
  async describeGroup(groupId: string): Promise<{ state: string; members: string[] }> {
    return this.withAdmin(async (admin) => {
      const { groups } = await admin.describeGroups([groupId]);
      return { state: groups[0]?.state ?? 'Dead', members: (groups[0]?.members ?? []).map((m) => m.clientId).sort() };
    });
  }

  /** How many members a consumer group has right now (a stable group: every replica joined). */
  async groupMembers(groupId: string): Promise<number> {
    return this.withAdmin(async (admin) => {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]?.state === 'Stable' ? groups[0].members.length : 0;
    });
  }

  /** The offset a consumer group has committed on one partition ('-1' if none): proof it moved past a message. */
  async committedOffset(groupId: string, topic: string, partition: number): Promise<bigint> {
    return this.withAdmin(async (admin) => {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const found = entry?.partitions.find((p) => p.partition === partition);
      return BigInt(found?.offset ?? '-1');
    });
  }

  /** The offsets a consumer group has committed, by `topic:partition` ('-1' where it has none): one question for many topics. */
  async committedOffsets(groupId: string, topics: string[]): Promise<Map<string, bigint>> {
    return this.withAdmin(async (admin) => {
      const committed = await admin.fetchOffsets({ groupId, topics });
      return new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}:${p.partition}`, BigInt(p.offset)] as const)));
    });
  }

  /** The topics each consumer group's members subscribe to (from the group's member metadata). */
  async subscriptions(groupIds: string[]): Promise<Map<string, string[]>> {
    return this.withAdmin(async (admin) => {
      const { groups } = await admin.describeGroups(groupIds);
      return new Map(
        groups.map((g) => [g.groupId, [...new Set(g.members.flatMap((m) => AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? []))].sort()]),
      );
    });
  }

  /** Messages on the topics that the group has not committed past yet (from the start for a partition it never committed). */
  async lag(groupId: string, topics: string[]): Promise<bigint> {
    return this.withAdmin(async (admin) => {
      const committed = await admin.fetchOffsets({ groupId, topics });
      let lag = 0n;
      for (const topic of topics) {
        for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
          const offset = BigInt(committed.find((c) => c.topic === topic)?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
          lag += BigInt(high) - (offset >= 0n ? offset : BigInt(low));
        }
      }
      return lag;
    });
  }

  /** Replaces a topic's own settings (AlterConfigs: settings not named fall back to the broker's). */
  async setTopicConfig(topic: string, config: Record<string, string>): Promise<void> {
    return this.withAdmin(async (admin) => {
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries(config).map(([name, value]) => ({ name, value })) }] });
    });
  }

  /** Each partition's high watermark: the offset the topic's next message on it will get. */
  async endOffsets(topic: string): Promise<Map<number, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
  }

  /** How many messages a topic has ever received (the sum of its partitions' high watermarks). */
  async messageCount(topic: string): Promise<bigint> {
    return this.withAdmin(async (admin) => {
      return (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + BigInt(o.high), 0n);
    });
  }

  /** Creates a scratch topic for a test (the stack creates none on demand), replicated as the stack's own. */
  async createTopic(topic: string, replicationFactor: number, partitions = 1): Promise<void> {
    return this.withAdmin(async (admin) => {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor }] });
      // kafkajs's own waitForLeaders gives up when a broker does not know the topic yet: ask until every partition has a leader.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ready = await admin.fetchTopicMetadata({ topics: [topic] }).then(
          ({ topics }) => topics[0]?.partitions.length === partitions && topics[0].partitions.every((p) => p.leader >= 0),
          () => false,
        );
        if (ready) break;
        if (Date.now() > deadline) throw new Error(`topic ${topic} has no leader for every partition after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
  }

  /**
   * Moves a consumer group's committed offsets back to the start of every topic it has consumed, so that
   * everything still in the log is delivered to it again. The group must lose its members (stop its apps
   * first): this waits until the broker has let the last one go (a member that did not say goodbye stays
   * until its session times out). Returns how many messages that rewinds over.
   */
  async rewindGroup(groupId: string, emptyWithinMs = 60_000): Promise<number> {
    return this.withAdmin(async (admin) => {
      const deadline = Date.now() + emptyWithinMs;
      for (;;) {
        const { groups } = await admin.describeGroups([groupId]);
        if (['Empty', 'Dead'].includes(groups[0]?.state ?? 'Dead')) break;
        if (Date.now() > deadline) throw new Error(`consumer group ${groupId} still has members (${groups[0].state}) after ${emptyWithinMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      let rewound = 0;
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
        const low = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.low)]));
        for (const p of partitions) if (BigInt(p.offset) > 0n) rewound += Number(BigInt(p.offset) - (low.get(p.partition) ?? 0n));
        await admin.resetOffsets({ groupId, topic, earliest: true });
      }
      return rewound;
    });
  }

  /**
   * A producer that acknowledges only what every in-sync replica has (acks=all), for tests that count
   * acknowledgements: the services' own (IdempotentProducer), which starts over under a new producer id after
   * a send that failed. Few retries, so that a refusal shows as one.
   */
  async durableProducer(): Promise<{ send: (topic: string, value: string) => Promise<string>; close: () => Promise<void> }> {
    const producer = new IdempotentProducer(this.kafka, { retries: 2, initialRetryTime: 100 });
    await producer.connect();
    return {
      /** Resolves with the partition:offset the cluster gave the message once every in-sync replica has it. */
      send: async (topic, value) => {
        const [meta] = await producer.send({ acks: -1, timeout: 5000, topicMessages: [{ topic, messages: [{ value }] }] });
        return `${meta.partition}:${meta.baseOffset ?? '?'}`;
      },
      close: () => producer.disconnect(),
    };
  }

  /** Every message currently in the topic (all partitions, from the beginning to the high watermark). */
  async readAll(topic: string): Promise<RawMessage[]> {
    const offsets = await this.withAdmin((admin) => admin.fetchTopicOffsets(topic));
    const remaining = new Map(offsets.filter((o) => o.high !== o.low).map((o) => [o.partition, o.high]));
    const messages: RawMessage[] = [];
    if (remaining.size === 0) return messages;
    const consumer = this.kafka.consumer({ groupId: `test-reader-${Date.now()}-${Math.random().toString(16).slice(2)}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 20000);
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            messages.push({
              key: message.key?.toString() ?? null,
              value: message.value?.toString() ?? null,
              headers: decodeHeaders(message.headers),
              keyBytes: message.key,
              valueBytes: message.value,
              partition,
              offset: message.offset,
            });
            if (BigInt(message.offset) + 1n >= BigInt(remaining.get(partition) ?? '0')) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return messages;
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : String(v ?? '')]));
}
