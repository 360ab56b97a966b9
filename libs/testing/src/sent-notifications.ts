import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { contextClient } from './caller-tokens.js';
import type { HttpClient } from './http-client.js';
import type { RunningStackInfo } from './running-stack.js';

export interface Delivery {
  id: string;
  channel: 'mail' | 'webhook';
  event: string;
  status: string;
}

/** What notifications sent for an order: its deliveries, and the mail in the local stack's mailbox. */
export class SentNotifications {
  /** The local stack's development webhook signing secret (tools/stack/app-env.ts). */
  static readonly WEBHOOK_SECRET = 'local-development-webhook-secret-not-for-production';

  private readonly notifications: HttpClient;
  private readonly mailbox: string;

  constructor(stack: RunningStackInfo) {
    this.notifications = contextClient(stack, 'notifications');
    this.mailbox = join(stack.stateDir, 'mailbox');
  }

  /** Waits until the mail and the webhook about `event` (e.g. `order.confirmed`) have both been sent. */
  async sent(orderId: string, event: string): Promise<Record<'mail' | 'webhook', Delivery>> {
    return eventually(async () => {
      const response = await this.notifications.get<Delivery[]>(`/orders/${orderId}/deliveries`);
      const about = response.body.filter((d) => d.event === event);
      const states = about.map((d) => `${d.channel}:${d.status}`).sort().join(',');
      if (states !== 'mail:sent,webhook:sent') throw new Error(`deliveries of ${orderId} for ${event}: ${states || 'none'}`);
      return Object.fromEntries(about.map((d) => [d.channel, d])) as Record<'mail' | 'webhook', Delivery>;
    });
  }

  /** The one mail of a delivery, with folded headers unfolded. */
  mail(deliveryId: string): string {
    const files = existsSync(this.mailbox) ? readdirSync(this.mailbox).filter((f) => f.startsWith(`${deliveryId}-`)) : [];
    if (files.length !== 1) throw new Error(`expected one mail for delivery ${deliveryId}, found ${files.length}`);
    return readFileSync(join(this.mailbox, files[0]), 'utf8').replace(/\r?\n(?=[ \t])/g, '');
  }
}
