import type { ConsumedMessage } from '@boxoffice/messaging';
import type { Channel, DeliveryStatus, MailContent, NoticeEvent, PlannedDelivery, WebhookBody } from '../../domain/delivery/delivery.js';

/** A delivery claimed for one attempt; `attempt` counts this one. */
export type DueDelivery = { id: string; orderId: string; event: NoticeEvent; target: string; attempt: number; traceparent?: string | null } & (
  | { channel: 'mail'; payload: MailContent }
  | { channel: 'webhook'; payload: WebhookBody }
);

export interface DeliveryView {
  id: string;
  orderId: string;
  event: NoticeEvent;
  channel: Channel;
  target: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  sentAt: string | null;
}

/**
 * The outbox of side effects that leave the system (mail, webhooks): rows
 * written in the inbox transaction of the event that caused them, then
 * worked off by the dispatcher of any replica. "Due" is always decided by
 * the database's clock, never by comparing processes' clocks.
 */
export abstract class DeliveryQueue {
  /** Records an event's deliveries with its inbox row, once per message and once per (order, event, channel). */
  abstract record(message: ConsumedMessage, deliveries: PlannedDelivery[]): Promise<'recorded' | 'duplicate'>;
  /**
   * Claims up to `limit` due deliveries for one attempt each: counts the
   * attempt and hides them from other dispatchers for a lease, so a
   * dispatcher that dies mid-delivery only delays them.
   */
  abstract claimDue(limit: number): Promise<DueDelivery[]>;
  abstract markSent(id: string): Promise<void>;
  abstract scheduleRetry(id: string, attempt: number, retryInMs: number, error: string): Promise<void>;
  abstract markFailed(id: string, attempt: number, error: string): Promise<void>;
  abstract markRejected(id: string, attempt: number, reason: string): Promise<void>;
  abstract forOrder(orderId: string): Promise<DeliveryView[]>;
}
