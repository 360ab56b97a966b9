import { orderMail } from '../mail/order-mail.js';
import type { OrderOutcome } from '../order/order-outcome.js';
import type { WebhookAllowList } from '../webhook/webhook-allow-list.value-object.js';
import { noticeEvent, orderWebhook } from '../webhook/order-webhook.js';
import type { PlannedDelivery } from './delivery.js';

/**
 * What an order's outcome makes us send: always a mail to the customer
 * (fire-and-forget: nobody waits for it) and, when the client gave a
 * callbackUrl, a webhook (the callback style). A callbackUrl we may not call
 * is recorded as rejected, so it is visible, and never attempted.
 */
export function notificationsFor(outcome: OrderOutcome, allowList: WebhookAllowList): PlannedDelivery[] {
  const event = noticeEvent(outcome);
  const planned: PlannedDelivery[] = [
    { channel: 'mail', event, orderId: outcome.orderId, target: outcome.customerEmail, payload: orderMail(outcome), status: 'pending' },
  ];
  if (outcome.callbackUrl !== null) {
    const webhook = { channel: 'webhook', event, orderId: outcome.orderId, target: outcome.callbackUrl, payload: orderWebhook(outcome) } as const;
    const allowed = allowList.check(outcome.callbackUrl);
    planned.push(allowed.ok ? { ...webhook, status: 'pending' } : { ...webhook, status: 'rejected', rejection: allowed.error.message });
  }
  return planned;
}
