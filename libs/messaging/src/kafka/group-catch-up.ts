import { type Admin } from 'kafkajs';
import { type KafkaSettings } from './kafka-settings.js';
import { ReusedAdmin } from './reused-admin.js';

/** Where one partition stood when the mark was taken. */
interface PartitionMark {
  topic: string;
  partition: number;
  /** The high watermark: the offset of the next message the partition will get. */
  end: bigint;
  /** The first offset still kept: where a group that never committed starts (it subscribes from the beginning). */
  start: bigint;
}

/**
 * Whether a consumer group has handled everything that was on some topics
 * at a moment. The end offset of every partition is noted (a mark); the
 * group has caught up with the mark once its committed offset on each
 * partition has reached it. A consumer commits an offset only after its
 * handler's writes committed (BatchingServerKafka), so every message
 * below the mark has then been handled.
 *
 * It compares offsets only, never clocks, and asks the broker about the
 * whole group: it holds whichever member read a partition, in whichever
 * process, across rebalances (a partition that just moved counts from
 * where its new owner stands) and crashed members (their partitions wait
 * until another member has taken them over and read them).
 */
export class GroupCatchUp {
  private readonly admin: ReusedAdmin;
  private mark?: PartitionMark[];

  constructor(
    settings: KafkaSettings,
    private readonly groupId: string,
    private readonly topics: readonly string[],
  ) {
    this.admin = new ReusedAdmin(settings);
  }

  /**
   * True once the group has committed, on every partition of the topics,
   * at least the end offsets noted by the first call since the last true
   * (this one, if it is that first call). Throws when the broker cannot be
   * asked; the mark is kept for the next call.
   */
  caughtUp(): Promise<boolean> {
    return this.admin.ask(async (admin) => {
      this.mark ??= await this.endOffsets(admin);
      const behind = await this.partitionsBehind(admin, this.mark);
      if (behind > 0) return false;
      this.mark = undefined;
      return true;
    });
  }

  close(): Promise<void> {
    return this.admin.close();
  }

  private async endOffsets(admin: Admin): Promise<PartitionMark[]> {
    const perTopic = await Promise.all(
      this.topics.map(async (topic) => (await admin.fetchTopicOffsets(topic)).map((o) => ({ topic, partition: o.partition, end: BigInt(o.high), start: BigInt(o.low) }))),
    );
    return perTopic.flat();
  }

  /** How many partitions of the mark the group has not committed up to yet. */
  private async partitionsBehind(admin: Admin, mark: PartitionMark[]): Promise<number> {
    const committed = new Map<string, bigint>();
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: this.groupId, topics: [...this.topics] })) {
      for (const { partition, offset } of partitions) committed.set(`${topic}:${partition}`, BigInt(offset));
    }
    // -1: the group never committed on the partition, so it starts from the first offset still kept.
    return mark.filter(({ topic, partition, end, start }) => {
      const offset = committed.get(`${topic}:${partition}`) ?? -1n;
      return (offset >= 0n ? offset : start) < end;
    }).length;
  }
}
