import { Inject, Injectable } from '@nestjs/common';
import { pruneMessages, type MessageRetention } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { BackgroundLoop } from './background-loop.js';

/** The retention the service's settings give (OUTBOX_RETENTION_SECONDS, INBOX_RETENTION_SECONDS). */
export const MESSAGE_RETENTION = Symbol('MESSAGE_RETENTION');

/**
 * Keeps the outbox and the inbox from growing for ever: once a minute (at
 * once again while there is a backlog), published outbox rows and inbox rows
 * past their retention are deleted on every shard (libs/messaging
 * message-retention.ts says how long each is kept, and why).
 */
@Injectable()
export class MessagePruning extends BackgroundLoop {
  constructor(
    private readonly router: ShardRouter,
    @Inject(MESSAGE_RETENTION) private readonly retention: MessageRetention,
  ) {
    super('MessagePruning', 60_000);
  }

  protected async runOnce(): Promise<number> {
    let pruned = 0;
    for (let shard = 0; shard < this.router.shardCount(); shard++) pruned += await pruneMessages(this.router.writerForShard(shard), this.retention);
    return pruned;
  }
}
