import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PollingLoop } from '@boxoffice/messaging';

/**
 * A service's background work (sweeping deadlines, dispatching deliveries)
 * as a PollingLoop tied to the application's life: started once the app is
 * up, stopped, letting its round finish, when it shuts down.
 */
export abstract class BackgroundLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: PollingLoop;

  protected constructor(name: string, idleMillis: number) {
    const logger = new Logger(name);
    this.loop = new PollingLoop(() => this.runOnce(), {
      idleMillis,
      onError: (error) => logger.warn({ msg: 'background round failed; will retry', error: String(error) }),
    });
  }

  /** One round of work; returns how much it did (0 means: wait before the next round). */
  protected abstract runOnce(): Promise<number>;

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Starts the next round now, e.g. right after a local commit created work (see PollingLoop.wake). */
  wake(): void {
    this.loop.wake();
  }
}
