import type { OnApplicationShutdown, Provider } from '@nestjs/common';
import { ShardRouter } from '@boxoffice/persistence';

/**
 * Holds a context's ShardRouter and closes its connection pools at shutdown.
 * The router is provided through this holder, so everything that uses the
 * router depends on the holder; Nest shuts a module's providers down
 * dependents first, and this global module after the application's own. So
 * the pools close last: after the contexts' background loops, the outbox
 * relays and message pruning have stopped (and the HTTP server and Kafka
 * consumers, which Nest closes before any shutdown hook).
 */
export class ShardRouterHolder implements OnApplicationShutdown {
  constructor(readonly router: ShardRouter) {}

  async onApplicationShutdown(): Promise<void> {
    await this.router.destroy();
  }
}

/** The ShardRouter that `open` connects at boot, closed by its holder at shutdown. */
export function shardRouterProviders(open: () => Promise<ShardRouter>): Provider[] {
  return [
    { provide: ShardRouterHolder, useFactory: async () => new ShardRouterHolder(await open()) },
    { provide: ShardRouter, inject: [ShardRouterHolder], useFactory: (holder: ShardRouterHolder) => holder.router },
  ];
}
