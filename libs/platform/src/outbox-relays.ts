import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessagePublisher, OutboxRelay } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { crashNow, relayCrashPointFromEnv } from './fault-injection.js';

const RELAY_TIMEOUT_MS = 30_000;

/** One outbox relay per shard, running for the life of the process. */
@Injectable()
export class OutboxRelays implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly relays: OutboxRelay[];

  constructor(router: ShardRouter, publisher: MessagePublisher) {
    // Each relay writes through its shard's writer, so it follows the primary after a failover. Its transaction
    // spans a publish to Kafka, so its bound is generous: it is there so a relay never hangs, not to answer anyone.
    const crashAt = relayCrashPointFromEnv(); // test-only, see fault-injection.ts
    this.relays = Array.from(
      { length: router.shardCount() },
      (_, shard) =>
        new OutboxRelay(router.writerForShard(shard).withTimeout(RELAY_TIMEOUT_MS), publisher, {
          onError: (error) => this.logger.warn({ msg: 'outbox relay failed; will retry', shard, error: String(error) }),
          ...(crashAt ? { fault: { at: crashAt, crash: () => crashNow(`outbox relay of shard ${shard} at ${crashAt}`) } } : {}),
        }),
    );
  }

  onApplicationBootstrap(): void {
    for (const relay of this.relays) relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.relays.map((relay) => relay.stop()));
  }

  /**
   * Lets freshly committed messages leave without waiting for the next poll:
   * the relay of the shard that committed them, or every relay when the
   * caller does not say (each woken relay costs a transaction).
   */
  wake(shard?: number): void {
    // Inside a batch of consumed messages, a relay starts once the batch has committed (PollingLoop.wake).
    if (shard === undefined) for (const relay of this.relays) relay.wake();
    else this.relays[shard]?.wake();
  }
}
