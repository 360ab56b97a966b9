import { Global, Module, type DynamicModule, type FactoryProvider, type OnApplicationShutdown } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ShardRouter } from '@boxoffice/persistence';
import { shardRouterProviders } from '../../src/closed-last.js';

/**
 * The pools close only after everything that uses them has stopped, however
 * long each takes: Nest's shutdown order, as the platform module relies on it.
 */
describe('closing the shard router at shutdown', () => {
  const events: string[] = [];
  const router = {
    destroy: async () => {
      events.push('pools closed');
    },
  } as unknown as ShardRouter;

  /** Stands in for a user of the router (a relay, a loop) whose shutdown ends a while after it starts. */
  function routerUser(name: string, stopMillis: number): FactoryProvider {
    return {
      provide: name,
      inject: [ShardRouter],
      useFactory: (): OnApplicationShutdown => ({
        onApplicationShutdown: async () => {
          await new Promise((resolve) => setTimeout(resolve, stopMillis));
          events.push(`${name} stopped`);
        },
      }),
    };
  }

  @Global()
  @Module({})
  class GlobalPlatform {}

  it('closes the pools after the application’s loops and the platform’s relays and pruning have stopped', async () => {
    const platform: DynamicModule = {
      module: GlobalPlatform,
      providers: [...shardRouterProviders(async () => router), routerUser('outbox relays', 30), routerUser('message pruning', 10)],
      exports: [ShardRouter],
    };
    const app = await Test.createTestingModule({ imports: [platform], providers: [routerUser('hold sweeper', 20)] }).compile();
    await app.init();

    await app.close();

    expect(events[0]).toBe('hold sweeper stopped');
    expect(events.slice(1, 3).sort()).toEqual(['message pruning stopped', 'outbox relays stopped']);
    expect(events.slice(3)).toEqual(['pools closed']);
  });
});
