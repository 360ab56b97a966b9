import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReleaseExpiredHoldsHandler } from '../../application/release-expired-holds/release-expired-holds.handler.js';

/** Sweeps for expired holds every second in every replica; SKIP LOCKED lets replicas share the sweep. */
@Injectable()
export class HoldExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HoldExpiryScheduler.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(private readonly releaseExpiredHolds: ReleaseExpiredHoldsHandler) {}

  onApplicationBootstrap(): void {
    const intervalMs = Number(process.env.HOLD_SWEEP_INTERVAL_MS ?? 1000);
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    }, intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  private async sweep(): Promise<void> {
    try {
      const released = await this.releaseExpiredHolds.execute();
      if (released > 0) this.logger.log({ msg: 'expired holds released', seats: released });
    } catch (error) {
      this.logger.warn({ msg: 'hold sweep failed; will retry', error: String(error) });
    }
  }
}
