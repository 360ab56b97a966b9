import type { HealthIndicatorService } from '@nestjs/terminus';
import { Counter, Gauge } from 'prom-client';
import type { Consumer } from 'kafkajs';
import { METRIC_PREFIX, type PlatformMetrics } from '../metrics/platform-metrics.js';

/** Where the process's consumer stands with its group. */
type Membership = 'joining' | 'member' | 'restarting' | 'crashed' | 'stopped';

interface Current {
  topic: string;
  partition: number;
  offset: string;
  /** Since when this partition has been on this offset (handling, retrying, redelivered). */
  since: number;
  /** Waiting out an unreachable database: the shard checks tell that, the message is not stuck. */
  waitingForInfrastructure: boolean;
}

/** What the transport tells about its consumer (see BatchingServerKafka). */
export interface ConsumerWatch {
  watch(consumer: Consumer, group: string): void;
  /** A fetch brought messages from `firstOffset` on, with the partition's end (high watermark) at `highWatermark`. */
  fetched(topic: string, partition: number, firstOffset: string, highWatermark: string): void;
  handling(topic: string, partition: number, offset: string): void;
  handled(topic: string, partition: number, offset: string): void;
  /** The transport restarts a consumer that kafkajs gave up for good, after this delay (ADR 0029). */
  restartScheduled(delayMs: number): void;
}

/** Default bound on how long a partition may stay on one offset before the consumer counts as stuck. */
export const DEFAULT_STALL_LIMIT_MS = 30_000;

/**
 * Whether this process's Kafka consumer is still consuming, for readiness
 * and for /metrics. It is not from a crash that kafkajs does not restart
 * (`CRASH` with `restart: false`: the consumer left its group; the transport
 * starts it again after a backoff, ADR 0029) until it is a member of its
 * group again, when it was stopped, when it has been joining or
 * restarting for longer than the stall limit, or when a partition has stayed
 * on the same offset for longer than that limit (a message retried, a
 * dead-letter topic refusing, a redelivery after each crash): that partition
 * has lag, or the offset would have moved. Time spent waiting out an
 * unreachable database does not count: the shard checks report that, and a
 * partition that waits for its primary is doing what it should.
 */
export class ConsumerHealth implements ConsumerWatch {
  private group?: string;
  private membership: Membership = 'joining';
  private membershipSince: number;
  private lastCrash?: string;
  private nextRestart?: string;
  private readonly current = new Map<string, Current>();
  /** Per assigned partition: its end as of the last fetch, and the next offset to handle. */
  private readonly positions = new Map<string, { topic: string; partition: number; end: bigint; next: bigint }>();
  private readonly crashes: Counter;
  private readonly restarts: Counter;
  private readonly deadLetters: Counter;
  private readonly deadLetterFailures: Counter;

  constructor(
    metrics: PlatformMetrics,
    readonly stallLimitMs: number = DEFAULT_STALL_LIMIT_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.membershipSince = now();
    const registers = [metrics.registry];
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const health = this;
    new Gauge({
      name: `${METRIC_PREFIX}kafka_consumer_consuming`,
      help: 'Whether the Kafka consumer is consuming (1): a member of its group, no partition stuck on one offset beyond the stall limit; 0 otherwise',
      labelNames: ['group'],
      registers,
      collect() {
        this.reset();
        if (health.group) this.set({ group: health.group }, health.report().consuming ? 1 : 0);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}kafka_partition_stalled_seconds`,
      help: 'Seconds the consumer has been on the same offset of a partition (retries and redeliveries included, waits for an unreachable database not); absent when the partition is idle',
      labelNames: ['topic', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const stall of health.stalls()) this.set({ topic: stall.topic, partition: String(stall.partition) }, stall.seconds);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}kafka_consumer_lag_messages`,
      help: "Messages of a partition this replica consumes that it has not handled yet: the partition's end at the last fetch less the next offset to handle",
      labelNames: ['topic', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const p of health.positions.values()) this.set({ topic: p.topic, partition: String(p.partition) }, Number(p.end > p.next ? p.end - p.next : 0n));
      },
    });
    this.crashes = new Counter({ name: `${METRIC_PREFIX}kafka_consumer_crashes_total`, help: 'Crashes of the Kafka consumer run loop, by whether kafkajs restarts it', labelNames: ['restart'], registers });
    this.restarts = new Counter({
      name: `${METRIC_PREFIX}kafka_consumer_restarts_total`,
      help: 'Restarts of the Kafka consumer that the transport scheduled after a crash kafkajs does not restart',
      registers,
    });
    this.deadLetters = new Counter({ name: `${METRIC_PREFIX}dead_letters_total`, help: 'Messages written to the dead-letter topic, by original topic', labelNames: ['topic'], registers });
    this.deadLetterFailures = new Counter({
      name: `${METRIC_PREFIX}dead_letter_failures_total`,
      help: 'Attempts to write a dead letter that the broker refused or that failed (each is retried), by original topic',
      labelNames: ['topic'],
      registers,
    });
  }

  watch(consumer: Consumer, group: string): void {
    this.group = group;
    const { GROUP_JOIN, CRASH, STOP, REBALANCING } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => {
      this.become('member');
      this.nextRestart = undefined;
      // Partitions handed to another member are no longer this one's to finish.
      const assigned = new Set(Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((p) => `${topic}:${p}`)));
      for (const key of this.current.keys()) if (!assigned.has(key)) this.current.delete(key);
      for (const key of this.positions.keys()) if (!assigned.has(key)) this.positions.delete(key);
    });
    consumer.on(REBALANCING, () => this.become('joining'));
    consumer.on(CRASH, ({ payload }) => {
      this.crashes.inc({ restart: String(payload.restart) });
      this.lastCrash = payload.error instanceof Error ? `${payload.error.name}: ${payload.error.message}` : String(payload.error);
      this.become(payload.restart ? 'restarting' : 'crashed');
    });
    consumer.on(STOP, () => this.become('stopped'));
  }

  fetched(topic: string, partition: number, firstOffset: string, highWatermark: string): void {
    const key = `${topic}:${partition}`;
    const known = this.positions.get(key);
    this.positions.set(key, { topic, partition, end: BigInt(highWatermark), next: known?.next ?? BigInt(firstOffset) });
  }

  handling(topic: string, partition: number, offset: string): void {
    const key = `${topic}:${partition}`;
    if (this.current.get(key)?.offset !== offset) this.current.set(key, { topic, partition, offset, since: this.now(), waitingForInfrastructure: false });
  }

  handled(topic: string, partition: number, offset: string): void {
    const key = `${topic}:${partition}`;
    if (this.current.get(key)?.offset === offset) this.current.delete(key);
    const position = this.positions.get(key);
    if (position) position.next = BigInt(offset) + 1n;
  }

  /** Called by the reliable consumer when it starts and stops waiting out an unreachable database. */
  waitingForInfrastructure(topic: string, partition: number, offset: string, waiting: boolean): void {
    const entry = this.current.get(`${topic}:${partition}`);
    if (entry?.offset !== offset) return;
    entry.waitingForInfrastructure = waiting;
    // The wait was not the message's time: count afresh from its end.
    if (!waiting) entry.since = this.now();
  }

  restartScheduled(delayMs: number): void {
    this.restarts.inc();
    this.nextRestart = new Date(this.now() + delayMs).toISOString();
  }

  deadLettered(outcome: 'written' | 'failed', originalTopic: string): void {
    (outcome === 'written' ? this.deadLetters : this.deadLetterFailures).inc({ topic: originalTopic });
  }

  /** False until the transport started a consumer: an app that consumes nothing has nothing to report. */
  get watching(): boolean {
    return this.group !== undefined;
  }

  report(): { consuming: boolean; details: Record<string, unknown> } {
    const now = this.now();
    const membershipMs = now - this.membershipSince;
    const stalls = this.stalls();
    const stuck = stalls.filter((s) => s.seconds * 1000 > this.stallLimitMs);
    const inGroup = this.membership === 'member' || ((this.membership === 'joining' || this.membership === 'restarting') && membershipMs <= this.stallLimitMs);
    return {
      consuming: inGroup && stuck.length === 0,
      details: {
        group: this.group,
        membership: this.membership,
        since: new Date(this.membershipSince).toISOString(),
        ...(this.lastCrash ? { lastCrash: this.lastCrash } : {}),
        ...(this.membership === 'crashed' && this.nextRestart ? { nextRestart: this.nextRestart } : {}),
        stallLimitSeconds: this.stallLimitMs / 1000,
        ...(stuck.length > 0 ? { stuckPartitions: stuck } : {}),
      },
    };
  }

  /** The readiness check: down when the consumer is not consuming. */
  check(indicators: HealthIndicatorService) {
    const { consuming, details } = this.report();
    const indicator = indicators.check('kafka-consumer');
    return consuming ? indicator.up(details) : indicator.down(details);
  }

  private stalls(): { topic: string; partition: number; offset: string; seconds: number }[] {
    const now = this.now();
    return [...this.current.values()]
      .filter((c) => !c.waitingForInfrastructure)
      .map(({ topic, partition, offset, since }) => ({ topic, partition, offset, seconds: (now - since) / 1000 }));
  }

  private become(membership: Membership): void {
    if (membership === this.membership) return;
    this.membership = membership;
    this.membershipSince = this.now();
  }
}
