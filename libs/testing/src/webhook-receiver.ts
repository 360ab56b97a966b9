import { createHmac } from 'node:crypto';
import type { ReceivedWebhook } from '../../../tools/stack/webhook-receiver.js';
import { HttpClient } from './http-client.js';
import type { RunningStackInfo } from './running-stack.js';

/** One call the stack's webhook receiver took, as it lists it on GET /webhooks: the receiver's own type. */
export type { ReceivedWebhook };

/**
 * The client's webhook endpoint in tests: the receiver the stack runs
 * (tools/stack/webhook-receiver.ts), the only target its allow-list names.
 * Tests give orders a callbackUrl on it and read over HTTP what arrived.
 */
export class WebhookReceiver {
  private readonly http: HttpClient;

  constructor(private readonly stack: RunningStackInfo) {
    this.http = new HttpClient(stack.webhookReceiver.url);
  }

  /** A callbackUrl on the receiver; `fail: N` makes it answer 503 to the first N attempts of each delivery. */
  callbackUrl(path = '/hooks/orders', { fail }: { fail?: number } = {}): string {
    return `${this.stack.webhookReceiver.url}${path}${fail ? `?fail=${fail}` : ''}`;
  }

  /** Every call about the order so far, oldest first. */
  async receivedFor(orderId: string): Promise<ReceivedWebhook[]> {
    const response = await this.http.get<ReceivedWebhook[]>(`/webhooks?orderId=${encodeURIComponent(orderId)}`);
    if (response.status !== 200) throw new Error(`webhook receiver: GET /webhooks answered ${response.status}`);
    return response.body;
  }

  /** True when one of the call's signatures (two during a rollover) is valid for this secret: sha256 HMAC of "<timestamp>.<body>". */
  static isSigned(webhook: Pick<ReceivedWebhook, 'headers' | 'body'>, secret: string): boolean {
    const timestamp = String(webhook.headers['x-boxoffice-timestamp'] ?? '');
    const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${webhook.body}`).digest('hex')}`;
    const listed = String(webhook.headers['x-boxoffice-signature'] ?? '').split(',').map((signature) => signature.trim());
    return /^\d+$/.test(timestamp) && listed.includes(expected);
  }
}
