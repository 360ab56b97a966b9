import { WebhookSender, type OutgoingWebhook } from '../../application/ports/webhook-sender.port.js';
import type { SendOutcome } from '../../application/ports/send-outcome.js';
import { webhookSignature } from './webhook-signature.js';

/**
 * POSTs a webhook, signed, with a timeout per attempt. Only a 2xx answer
 * counts as delivered. Redirects are not followed (a 3xx is a failed
 * attempt): following one would call a host the allow-list never saw.
 */
export class HttpWebhookSender extends WebhookSender {
  constructor(
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async post(webhook: OutgoingWebhook): Promise<SendOutcome> {
    const body = JSON.stringify(webhook.body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'boxoffice-webhooks/1',
          'x-boxoffice-delivery': webhook.deliveryId,
          'x-boxoffice-timestamp': timestamp,
          'x-boxoffice-signature': webhookSignature(this.secret, timestamp, body),
        },
        body,
      });
      // We do not read the answer; release the connection.
      await response.body?.cancel().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? { sent: true } : { sent: false, reason: `answered HTTP ${response.status}` };
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') return { sent: false, reason: `no answer within ${this.timeoutMs} ms` };
      const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
      return { sent: false, reason: `could not connect: ${cause?.code ?? (error instanceof Error ? error.message : String(error))}` };
    }
  }
}
