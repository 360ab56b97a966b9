import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TimeOutStepsHandler } from '../../application/time-out-steps/time-out-steps.handler.js';

/** Looks for saga steps past their deadline every second, in every replica (they share the sweep). */
@Injectable()
export class StepTimeoutScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StepTimeoutScheduler.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(private readonly timeOutSteps: TimeOutStepsHandler) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    }, 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  private async sweep(): Promise<void> {
    try {
      const timedOut = await this.timeOutSteps.execute();
      if (timedOut > 0) this.logger.log({ msg: 'saga steps timed out', orders: timedOut });
    } catch (error) {
      this.logger.warn({ msg: 'timeout sweep failed; will retry', error: String(error) });
    }
  }
}
