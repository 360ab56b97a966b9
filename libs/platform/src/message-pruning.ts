import { Injectable } from '@nestjs/common';
import { pruneMessages } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { BackgroundLoop } from './background-loop.js';
import { messageRetentionFromEnv } from './boot-settings.js';

/**
 * Keeps the outbox and the inbox from growing for ever: once a minute (at
 * once again while there is a backlog), published outbox rows and inbox rows
 * past their retention are deleted on every shard (libs/messaging
 * message-retention.ts says how long each is kept, and why).
 */
@Injectable()
export class MessagePruning extends BackgroundLoop {
  private readonly retention = messageRetentionFromEnv(process.env);

  constructor(private readonly router: ShardRouter) {
    super('MessagePruning', 60_000);
  }

  protected async runOnce(): Promise<number> {
    let pruned = 0;
    for (let shard = 0; shard < this.router.shardCount(); shard++) pruned += await pruneMessages(this.router.writerForShard(shard), this.retention);
    return pruned;
  }
}
