export type Channel = 'mail' | 'webhook';

/**
 * pending: waiting for its next attempt; sent: the receiver took it;
 * failed: every allowed attempt failed; rejected: never attempted, because
 * the target is not one we may call.
 */
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'rejected';

/** The notices an order can cause, named as webhook receivers see them. */
export type NoticeEvent = 'order.confirmed' | 'order.rejected' | 'order.refunded';

export interface MailContent {
  subject: string;
  text: string;
}

export type WebhookBody = { event: NoticeEvent; orderId: string } & Record<string, unknown>;

/** A delivery decided on, before it is stored. */
export type PlannedDelivery =
  | { channel: 'mail'; event: NoticeEvent; orderId: string; target: string; payload: MailContent; status: 'pending' }
  | { channel: 'webhook'; event: NoticeEvent; orderId: string; target: string; payload: WebhookBody; status: 'pending' }
  | { channel: 'webhook'; event: NoticeEvent; orderId: string; target: string; payload: WebhookBody; status: 'rejected'; rejection: string };
