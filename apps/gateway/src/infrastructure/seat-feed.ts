import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Kafka, type Consumer } from 'kafkajs';
import { EnvelopeSchema, SeatReplyV1, ShowCancelledV1, type SeatChangeEvent, type SeatMapShowEvent, type SeatReply } from '@boxoffice/contracts';
import { CONSUMER_TIMING, kafkaClientConfig, type KafkaSettings } from '@boxoffice/messaging';

/** One event of a seat map stream after its snapshot: seats that changed, or the show itself (cancelled). */
export type SeatStreamEvent = { event: 'seats'; data: SeatChangeEvent } | { event: 'show'; data: SeatMapShowEvent };

export type SeatChangeListener = (change: SeatStreamEvent) => void;

/** What one seat reply means for everyone looking at the show's seat map; null when no seat changed. */
export function seatChangeOf(reply: SeatReply): SeatChangeEvent | null {
  switch (reply.outcome) {
    case 'held':
      return { showId: reply.showId, seatIds: reply.seats.map((seat) => seat.seatId), state: 'held' };
    case 'confirmed':
      return { showId: reply.showId, seatIds: reply.seatIds, state: 'sold' };
    case 'released':
      // A hold given up after its show was cancelled frees nothing for sale: of a cancelled show, what is not sold is withdrawn.
      return reply.seatIds.length > 0 ? { showId: reply.showId, seatIds: reply.seatIds, state: reply.showCancelled ? 'withdrawn' : 'free' } : null;
    case 'sale-cancelled':
      return { showId: reply.showId, seatIds: reply.seatIds, state: 'withdrawn' };
    case 'hold-rejected':
    case 'confirm-rejected':
      return null;
  }
}

/**
 * What a message on one of the feed's topics means for a seat map stream;
 * null when nothing it shows changed. Not ours to judge a payload we cannot
 * read: the contexts' consumers dead-letter it, a feed just skips it.
 */
export function streamEventOf(topic: string, payload: unknown): SeatStreamEvent | null {
  if (topic === ShowCancelledV1.topic) {
    const cancelled = ShowCancelledV1.payload.safeParse(payload);
    return cancelled.success ? { event: 'show', data: { showId: cancelled.data.showId, status: 'cancelled' } } : null;
  }
  const reply = SeatReplyV1.payload.safeParse(payload);
  const change = reply.success ? seatChangeOf(reply.data) : null;
  return change && { event: 'seats', data: change };
}

/** The seat feeds' groups (`gateway-seat-feed.<instance>`): they commit nothing. */
export const SEAT_FEED_GROUP_PREFIX = 'gateway-seat-feed.';

/** A replica's own consumer group: every replica sees every seat event, for its own clients. */
export function seatFeedGroupId(instance: string): string {
  return `${SEAT_FEED_GROUP_PREFIX}${instance}`;
}

/**
 * The seat events on Kafka (inventory's seat replies, and catalog's
 * cancelled shows), fanned out to this replica's open seat-map streams
 * (ADR 0033). Every gateway replica consumes
 * the whole topic in a consumer group of its own, so each can tell its own
 * clients; one Kafka consumer per replica, however many clients watch.
 *
 * A live feed, not a work queue: it starts at the end of the topic and
 * commits nothing, so a restarted replica never replays old changes over
 * the fresh snapshot each stream begins with. A broker that is down delays
 * the changes (kafkajs reconnects); streams stay open and catch up.
 */
export class SeatFeed implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SeatFeed');
  private readonly listeners = new Map<string, Set<SeatChangeListener>>();
  private readonly closers = new Set<() => void>();
  private consumer: Consumer | undefined;
  private stopped = false;

  constructor(
    private readonly kafka: KafkaSettings,
    private readonly instance: string,
  ) {}

  /** Calls `listener` with every change to the show's seats from now on; the returned function stops it. */
  subscribe(showId: string, listener: SeatChangeListener): () => void {
    let forShow = this.listeners.get(showId);
    if (!forShow) this.listeners.set(showId, (forShow = new Set()));
    forShow.add(listener);
    return () => {
      forShow.delete(listener);
      if (forShow.size === 0 && this.listeners.get(showId) === forShow) this.listeners.delete(showId);
    };
  }

  /** Registers how to end an open stream: at shutdown every one is ended, so the HTTP server can close. */
  onShutdown(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** How many streams are open on this replica. */
  get streams(): number {
    return this.closers.size;
  }

  onApplicationBootstrap(): void {
    // Not awaited: the gateway serves requests while the broker is still out of reach.
    void this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const close of [...this.closers]) close();
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async run(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const consumer = new Kafka(kafkaClientConfig(this.kafka)).consumer({ groupId: seatFeedGroupId(this.instance), allowAutoTopicCreation: false, ...CONSUMER_TIMING });
      this.consumer = consumer;
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        // kafkajs restarts the consumer itself after a retriable error; after any other, so do we.
        if (payload.restart || this.stopped) return;
        this.logger.warn({ msg: 'seat feed consumer crashed; starting it again', error: String(payload.error) });
        void consumer.disconnect().catch(() => undefined).then(() => this.run());
      });
      try {
        await consumer.connect();
        await consumer.subscribe({ topic: SeatReplyV1.topic, fromBeginning: false });
        await consumer.subscribe({ topic: ShowCancelledV1.topic, fromBeginning: false });
        await consumer.run({ autoCommit: false, eachMessage: async ({ topic, message }) => this.deliver(topic, message.value) });
        this.logger.log({ msg: 'following the seat events', topics: [SeatReplyV1.topic, ShowCancelledV1.topic], groupId: seatFeedGroupId(this.instance) });
        return;
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        if (this.stopped) return;
        const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
        this.logger.warn({ msg: 'seat feed cannot reach Kafka; live seat maps wait for it', error: String(error), retryInMs: delay });
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  private deliver(topic: string, value: Buffer | null): void {
    if (!value || this.listeners.size === 0) return;
    let change: SeatStreamEvent | null;
    try {
      const envelope = EnvelopeSchema.parse(JSON.parse(value.toString('utf8')));
      change = streamEventOf(topic, envelope.payload);
    } catch {
      return;
    }
    if (!change) return;
    for (const listener of this.listeners.get(change.data.showId) ?? []) listener(change);
  }
}
