import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DispatchDeliveriesHandler } from '../../application/dispatch-deliveries/dispatch-deliveries.handler.js';

const IDLE_MS = 250;
const MAX_BACKOFF_MS = 5000;

/**
 * Runs the dispatcher for the life of the process, in every replica: while
 * there is due work it goes on at once; otherwise it polls, and a local
 * commit of new deliveries wakes it early. Replicas share the work through
 * the claim (SKIP LOCKED), not through any coordination of their own.
 */
@Injectable()
export class DeliveryDispatchLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryDispatcher');
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(private readonly dispatcher: DispatchDeliveriesHandler) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Waits for the attempts in flight, so a rolling restart does not cut a delivery short. */
  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let attempted = 0;
      try {
        attempted = await this.dispatcher.dispatchDue();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.logger.warn({ msg: 'dispatch round failed; will retry', error: String(error) });
      }
      if (attempted > 0) continue;
      await this.sleep(failures > 0 ? Math.min(MAX_BACKOFF_MS, IDLE_MS * 2 ** failures) : IDLE_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
