import type { MailContent } from '../../domain/delivery/delivery.js';
import type { SendOutcome } from './send-outcome.js';

export interface OutgoingMail extends MailContent {
  deliveryId: string;
  orderId: string;
  attempt: number;
  to: string;
  /** The trace the delivery belongs to (W3C traceparent), passed through untouched; null outside one. */
  traceparent?: string | null;
}

export abstract class MailSender {
  abstract send(mail: OutgoingMail): Promise<SendOutcome>;
}
