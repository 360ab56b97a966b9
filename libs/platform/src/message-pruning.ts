import { Injectable } from '@nestjs/common';
import { DEFAULT_MESSAGE_RETENTION, pruneMessages, type MessageRetention } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { BackgroundLoop } from './background-loop.js';
import { integerSetting } from './integer-setting.js';

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

/** OUTBOX_RETENTION_SECONDS and INBOX_RETENTION_SECONDS, each optional (defaults in libs/messaging message-retention.ts). */
function messageRetentionFromEnv(env: NodeJS.ProcessEnv): MessageRetention {
  return {
    publishedOutboxSeconds: integerSetting(env, 'OUTBOX_RETENTION_SECONDS', DEFAULT_MESSAGE_RETENTION.publishedOutboxSeconds, 60, 365 * 86_400),
    inboxSeconds: integerSetting(env, 'INBOX_RETENTION_SECONDS', DEFAULT_MESSAGE_RETENTION.inboxSeconds, 60, 365 * 86_400),
  };
}
