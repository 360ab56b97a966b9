import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessagePublisher, OutboxRelay } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';

/** One outbox relay per shard, running for the life of the process. */
@Injectable()
export class OutboxRelays implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly relays: OutboxRelay[];

  constructor(router: ShardRouter, publisher: MessagePublisher) {
    this.relays = router.all().map(
      (dataSource, shard) =>
        new OutboxRelay(dataSource, publisher, {
          onError: (error) => this.logger.warn({ msg: 'outbox relay failed; will retry', shard, error: String(error) }),
        }),
    );
  }

  onApplicationBootstrap(): void {
    for (const relay of this.relays) relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.relays.map((relay) => relay.stop()));
  }

  /** Lets freshly committed messages leave without waiting for the next poll. */
  wake(): void {
    for (const relay of this.relays) relay.wake();
  }
}
