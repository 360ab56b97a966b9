import { Injectable } from '@nestjs/common';
import type { ConsumedMessage } from '@boxoffice/messaging';
import { notificationsFor } from '../../domain/delivery/order-notifications.js';
import type { OrderOutcome } from '../../domain/order/order-outcome.js';
import { WebhookAllowList } from '../../domain/webhook/webhook-allow-list.value-object.js';
import { DeliveryQueue } from '../ports/delivery-queue.port.js';

/**
 * Reacts to ordering.order-confirmed, ordering.order-rejected and ordering.order-refunded: decides
 * what to send and records it. Nothing leaves here; the dispatcher sends.
 */
@Injectable()
export class RecordOrderNotificationsHandler {
  constructor(
    private readonly queue: DeliveryQueue,
    private readonly allowList: WebhookAllowList,
  ) {}

  execute(message: ConsumedMessage, outcome: OrderOutcome): Promise<'recorded' | 'duplicate'> {
    return this.queue.record(message, notificationsFor(outcome, this.allowList));
  }
}
