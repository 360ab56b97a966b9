import { AssignerProtocol, ConfigResourceTypes, Kafka, logLevel, type IHeaders } from 'kafkajs';

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
    this.kafka = new Kafka({ clientId: 'boxoffice-tests', brokers, logLevel: logLevel.NOTHING });
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

  /** How many members a consumer group has right now (a stable group: every replica joined). */
  async groupMembers(groupId: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]?.state === 'Stable' ? groups[0].members.length : 0;
    } finally {
      await admin.disconnect();
    }
  }

  /** The offset a consumer group has committed on one partition ('-1' if none): proof it moved past a message. */
  async committedOffset(groupId: string, topic: string, partition: number): Promise<bigint> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const found = entry?.partitions.find((p) => p.partition === partition);
      return BigInt(found?.offset ?? '-1');
    } finally {
      await admin.disconnect();
    }
  }

  /** The topics each consumer group's members subscribe to (from the group's member metadata). */
  async subscriptions(groupIds: string[]): Promise<Map<string, string[]>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups(groupIds);
      return new Map(
        groups.map((g) => [g.groupId, [...new Set(g.members.flatMap((m) => AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? []))].sort()]),
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** Messages on the topics that the group has not committed past yet (from the start for a partition it never committed). */
  async lag(groupId: string, topics: string[]): Promise<bigint> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics });
      let lag = 0n;
      for (const topic of topics) {
        for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
          const offset = BigInt(committed.find((c) => c.topic === topic)?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
          lag += BigInt(high) - (offset >= 0n ? offset : BigInt(low));
        }
      }
      return lag;
    } finally {
      await admin.disconnect();
    }
  }

  /** Replaces a topic's own settings (AlterConfigs: settings not named fall back to the broker's). */
  async setTopicConfig(topic: string, config: Record<string, string>): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries(config).map(([name, value]) => ({ name, value })) }] });
    } finally {
      await admin.disconnect();
    }
  }

  /** How many messages a topic has ever received (the sum of its partitions' high watermarks). */
  async messageCount(topic: string): Promise<bigint> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + BigInt(o.high), 0n);
    } finally {
      await admin.disconnect();
    }
  }

  /** Every message currently in the topic (all partitions, from the beginning to the high watermark). */
  async readAll(topic: string): Promise<RawMessage[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
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
