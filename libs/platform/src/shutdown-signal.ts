import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Tells long-running loops (a consumer waiting out an outage) that the process is shutting down. */
@Injectable()
export class ShutdownSignal implements BeforeApplicationShutdown {
  private stopping = false;

  get isStopping(): boolean {
    return this.stopping;
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }
}
