import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Kafka, type Admin, type Consumer, type EachMessagePayload } from 'kafkajs';
import { DeadLetterTopics, PlatformTopics, ReplicaStatusReport, traceIdOfTraceparent, type DeadLetterView, type ReplicaView } from '@boxoffice/contracts';
import { DeadLetterHeaders, TRACEPARENT_HEADER, kafkaClientConfig, type KafkaSettings } from '@boxoffice/messaging';

/** The gateway's own readers' groups (`gateway-ops.<instance>`): they commit nothing. */
export const OPERATIONS_GROUP_PREFIX = 'gateway-ops.';

/** The newest dead letters kept in view per partition of a dead-letter topic. */
export const DEAD_LETTERS_PER_PARTITION = 20;

/** A replica is `silent` once this many of its report intervals passed without a report. */
const SILENT_AFTER_INTERVALS = 3;

/** A silent replica is forgotten after this long (the status topic keeps no older reports anyway). */
const FORGET_AFTER_MS = 10 * 60 * 1000;

const PREVIEW_BYTES = 200;

/**
 * What the gateway keeps reading for the operations console, with a consumer
 * of its own that commits nothing (group `gateway-ops.<instance>`, so every
 * gateway replica reads everything):
 * - `platform.replica-status.v1` from the start: the topic keeps ten minutes
 *   of reports at most (compacted, then deleted), so that is a bounded read,
 *   and the latest report of each replica is its status (ADR 0035);
 * - each dead-letter topic from `DEAD_LETTERS_PER_PARTITION` records before
 *   its end, per partition, never from its start: the newest dead letters,
 *   whatever the topic holds.
 * Nothing is consumed away: the contexts' groups and offsets are untouched.
 */
export class OperationsFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('OperationsFeed');
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly reports = new Map<string, { report: ReplicaStatusReport; receivedAt: number }>();
  private readonly deadLetters = new Map<string, DeadLetterView[]>();
  private stopped = false;

  constructor(kafka: KafkaSettings, instance: string) {
    const client = new Kafka(kafkaClientConfig(kafka));
    this.consumer = client.consumer({ groupId: `${OPERATIONS_GROUP_PREFIX}${instance}`, allowAutoTopicCreation: false, sessionTimeout: 10000, heartbeatInterval: 1000 });
    this.admin = client.admin();
  }

  onModuleInit(): void {
    // In the background: the gateway serves its routes while Kafka is away, and this catches up once it is back.
    void this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.consumer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  /** Every replica heard from in the last ten minutes, by service and instance. */
  replicas(now = Date.now()): ReplicaView[] {
    const views: ReplicaView[] = [];
    for (const [instance, { report, receivedAt }] of this.reports) {
      const silentForMs = Math.max(0, now - Math.max(receivedAt, Date.parse(report.reportedAt)));
      if (silentForMs > FORGET_AFTER_MS) {
        this.reports.delete(instance);
        continue;
      }
      const silent = report.status !== 'stopped' && silentForMs > SILENT_AFTER_INTERVALS * report.intervalMs;
      views.push({ ...report, status: silent ? 'silent' : report.status, silentForSeconds: Math.round(silentForMs / 100) / 10 });
    }
    return views.sort((a, b) => a.service.localeCompare(b.service) || a.instance.localeCompare(b.instance));
  }

  /** The newest dead letters of a topic read so far, newest first. */
  latestDeadLetters(topic: string): DeadLetterView[] {
    return [...(this.deadLetters.get(topic) ?? [])].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp) || a.partition - b.partition);
  }

  private async start(): Promise<void> {
    const deadLetterTopics: string[] = Object.values(DeadLetterTopics);
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => void this.seekToNewestDeadLetters(payload.memberAssignment, deadLetterTopics));
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.consumer.connect();
        await this.admin.connect();
        await this.consumer.subscribe({ topics: [PlatformTopics.replicaStatus], fromBeginning: true });
        await this.consumer.subscribe({ topics: deadLetterTopics, fromBeginning: false });
        await this.consumer.run({ autoCommit: false, eachMessage: (payload) => this.receive(payload) });
        return;
      } catch (error) {
        this.logger.warn({ msg: 'cannot read the operations topics yet; retrying', attempt, error: error instanceof Error ? error.message : String(error) });
        await this.consumer.disconnect().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, Math.min(30000, 1000 * attempt)));
      }
    }
  }

  /** Each dead-letter partition this consumer got: from its last DEAD_LETTERS_PER_PARTITION records (or its start). */
  private async seekToNewestDeadLetters(assignment: Record<string, number[]>, deadLetterTopics: string[]): Promise<void> {
    try {
      for (const topic of deadLetterTopics.filter((t) => assignment[t]?.length)) {
        const offsets = await this.admin.fetchTopicOffsets(topic);
        for (const { partition, high, low } of offsets) {
          if (!assignment[topic].includes(partition)) continue;
          const from = BigInt(high) - BigInt(DEAD_LETTERS_PER_PARTITION);
          this.consumer.seek({ topic, partition, offset: String(from > BigInt(low) ? from : BigInt(low)) });
        }
      }
    } catch (error) {
      this.logger.warn({ msg: 'could not find the newest dead letters; showing those that arrive from now on', error: error instanceof Error ? error.message : String(error) });
    }
  }

  private receive({ topic, partition, message }: EachMessagePayload): Promise<void> {
    if (topic === PlatformTopics.replicaStatus) this.receiveReport(message.value);
    else this.receiveDeadLetter(topic, partition, message);
    return Promise.resolve();
  }

  private receiveReport(value: Buffer | null): void {
    if (!value) return;
    let parsed: ReturnType<typeof ReplicaStatusReport.safeParse>;
    try {
      parsed = ReplicaStatusReport.safeParse(JSON.parse(value.toString('utf8')));
    } catch {
      return;
    }
    if (!parsed.success) return;
    const report = parsed.data;
    const known = this.reports.get(report.instance);
    // Reports of one instance share a partition, so they arrive in order; a re-read after a seek must not go back.
    if (known && Date.parse(known.report.reportedAt) > Date.parse(report.reportedAt)) return;
    this.reports.set(report.instance, { report, receivedAt: Date.now() });
  }

  private receiveDeadLetter(topic: string, partition: number, message: EachMessagePayload['message']): void {
    const header = (name: string): string | null => {
      const raw = message.headers?.[name];
      // The dlq headers follow the original's own: the last value is ours (ADR 0019).
      const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
      return value === undefined || value === null ? null : value.toString();
    };
    const integer = (text: string | null): number | null => (text !== null && /^\d+$/.test(text) ? Number(text) : null);
    const view: DeadLetterView = {
      partition,
      offset: message.offset,
      timestamp: new Date(Number(message.timestamp)).toISOString(),
      key: message.key === null ? null : message.key.toString('utf8'),
      reason: header(DeadLetterHeaders.reason),
      originalTopic: header(DeadLetterHeaders.topic),
      originalPartition: integer(header(DeadLetterHeaders.partition)),
      originalOffset: header(DeadLetterHeaders.offset),
      group: header(DeadLetterHeaders.group),
      attempts: integer(header(DeadLetterHeaders.attempts)),
      valueBytes: message.value === null ? null : message.value.length,
      valuePreview: message.value === null ? null : message.value.subarray(0, PREVIEW_BYTES).toString('utf8'),
      traceId: traceIdOfTraceparent(header(TRACEPARENT_HEADER)),
    };
    const kept = (this.deadLetters.get(topic) ?? []).filter((d) => !(d.partition === partition && d.offset === view.offset));
    kept.push(view);
    // The newest DEAD_LETTERS_PER_PARTITION of each partition, by offset.
    const ofPartition = kept.filter((d) => d.partition === partition).sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
    const dropped = new Set(ofPartition.slice(0, Math.max(0, ofPartition.length - DEAD_LETTERS_PER_PARTITION)));
    this.deadLetters.set(
      topic,
      kept.filter((d) => !dropped.has(d)),
    );
  }
}
