import { Injectable, Logger } from '@nestjs/common';
import { BackgroundLoop } from '@boxoffice/platform';
import { TimeOutStepsHandler } from '../../application/time-out-steps/time-out-steps.handler.js';

/** Looks for saga steps past their deadline every second, in every replica (they share the sweep). */
@Injectable()
export class StepTimeoutScheduler extends BackgroundLoop {
  private readonly logger = new Logger(StepTimeoutScheduler.name);

  constructor(private readonly timeOutSteps: TimeOutStepsHandler) {
    super(StepTimeoutScheduler.name, 1000);
  }

  protected async runOnce(): Promise<number> {
    const timedOut = await this.timeOutSteps.execute();
    if (timedOut > 0) this.logger.log({ msg: 'saga steps timed out', orders: timedOut });
    return timedOut;
  }
}
