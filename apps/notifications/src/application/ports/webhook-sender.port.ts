import type { WebhookBody } from '../../domain/delivery/delivery.js';
import type { SendOutcome } from './send-outcome.js';

export interface OutgoingWebhook {
  /** Sent with every attempt, so the receiver can drop repeats. */
  deliveryId: string;
  /** Already checked against the allow-list. */
  url: URL;
  body: WebhookBody;
  /** The trace the delivery belongs to (W3C traceparent), passed through untouched; null outside one. */
  traceparent?: string | null;
}

export abstract class WebhookSender {
  abstract post(webhook: OutgoingWebhook): Promise<SendOutcome>;
}
