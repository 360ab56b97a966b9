import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundLoop, integerSetting } from '@boxoffice/platform';
import { ReleaseExpiredHoldsHandler } from '../../application/release-expired-holds/release-expired-holds.handler.js';

/** How often expired holds are swept, from the settings (holdSweepIntervalFromEnv). */
export const HOLD_SWEEP_INTERVAL_MS = Symbol('HOLD_SWEEP_INTERVAL_MS');

/** Sweeps for expired holds every second in every replica; SKIP LOCKED lets replicas share the sweep. */
@Injectable()
export class HoldExpiryScheduler extends BackgroundLoop {
  private readonly logger = new Logger(HoldExpiryScheduler.name);

  constructor(
    private readonly releaseExpiredHolds: ReleaseExpiredHoldsHandler,
    @Inject(HOLD_SWEEP_INTERVAL_MS) intervalMs: number,
  ) {
    super(HoldExpiryScheduler.name, intervalMs);
  }

  protected async runOnce(): Promise<number> {
    const released = await this.releaseExpiredHolds.execute();
    if (released > 0) this.logger.log({ msg: 'expired holds released', seats: released });
    return released;
  }
}

/** HOLD_SWEEP_INTERVAL_MS: how often expired holds are swept (default every second). */
export function holdSweepIntervalFromEnv(env: NodeJS.ProcessEnv): number {
  return integerSetting(env, 'HOLD_SWEEP_INTERVAL_MS', 1000, 10, 60_000);
}
