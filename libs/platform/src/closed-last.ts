import type { Abstract, OnApplicationShutdown, Provider } from '@nestjs/common';
import { ShardRouter } from '@boxoffice/persistence';

/**
 * Holds a shared client (the ShardRouter's pools, the Kafka producer) and
 * closes it at shutdown. The client is provided through its holder, so
 * everything that uses the client depends on the holder; Nest shuts a
 * module's providers down dependents first, and this global module after the
 * application's own. So the client closes last: after the contexts'
 * background loops, the outbox relays and message pruning have stopped (and
 * the HTTP server and Kafka consumers, which Nest closes before any shutdown hook).
 */
class ClosedLast<T> implements OnApplicationShutdown {
  constructor(
    readonly client: T,
    private readonly close: (client: T) => Promise<void>,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.close(this.client);
  }
}

/** Provides what `open` returns under `token`, closed by `close` once nothing that uses it is running. */
export function closedLastProviders<T, C extends T>(token: Abstract<T>, open: () => Promise<C>, close: (client: C) => Promise<void>): Provider[] {
  const holder = Symbol(`${token.name} holder`);
  return [
    { provide: holder, useFactory: async () => new ClosedLast(await open(), close) },
    { provide: token, inject: [holder], useFactory: (held: ClosedLast<C>) => held.client },
  ];
}

/** The ShardRouter that `open` connects at boot, its pools closed last at shutdown. */
export function shardRouterProviders(open: () => Promise<ShardRouter>): Provider[] {
  return closedLastProviders(ShardRouter, open, (router) => router.destroy());
}
