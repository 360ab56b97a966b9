import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PaymentReplyV1, SeatReplyV1 } from '@boxoffice/contracts';
import { GroupCatchUp, type KafkaSettings } from '@boxoffice/messaging';
import { ReplyBacklog } from '../../application/ports/reply-backlog.port.js';
import type { SagaMetrics } from '../metrics/saga-metrics.js';

/** Ordering's consumer group: every replica reads the replies in it (one group per service). */
const GROUP = 'ordering';
/** How long time-outs may wait before the wait is logged as a warning (and again every time as long again). */
const WARN_AFTER_MS = 60_000;

/**
 * The reply topics as far as ordering's consumer group has committed them
 * (GroupCatchUp): the group as a whole, not this replica, since a reply is
 * read by whichever replica owns its partition. A broker that cannot be
 * asked answers "not read": a time-out waits rather than guess.
 * How long the answer has been "not read" is measured on this process's
 * monotonic clock (never compared with another's) and shown on /metrics.
 */
export class KafkaReplyBacklog extends ReplyBacklog implements OnApplicationShutdown {
  private readonly logger = new Logger('ReplyBacklog');
  private readonly catchUp: GroupCatchUp;
  /** When the replies were last found read (performance.now()). */
  private lastReadAt = performance.now();
  private warnedAt = 0;

  constructor(
    kafka: KafkaSettings,
    private readonly metrics: SagaMetrics,
  ) {
    super();
    this.catchUp = new GroupCatchUp(kafka, GROUP, [SeatReplyV1.topic, PaymentReplyV1.topic]);
  }

  async readUpToNow(): Promise<boolean> {
    let read = false;
    let error: unknown;
    try {
      read = await this.catchUp.caughtUp();
    } catch (failure) {
      error = failure;
    }
    const now = performance.now();
    if (read) {
      if (this.warnedAt > 0) this.logger.log({ msg: 'saga replies read up to the end again: step time-outs resume', waitedSeconds: Math.round((now - this.lastReadAt) / 1000) });
      this.lastReadAt = now;
      this.warnedAt = 0;
    } else if (now - this.lastReadAt >= WARN_AFTER_MS && now - Math.max(this.warnedAt, this.lastReadAt) >= WARN_AFTER_MS) {
      this.warnedAt = now;
      this.logger.warn({
        msg: 'step time-outs are waiting: ordering has not read every saga reply on the broker',
        waitingSeconds: Math.round((now - this.lastReadAt) / 1000),
        ...(error === undefined ? {} : { error: String(error) }),
      });
    }
    this.metrics.timeOutsWaiting(read ? 0 : (now - this.lastReadAt) / 1000);
    return read;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.catchUp.close().catch(() => undefined);
  }
}
