import type { NoticeEvent, WebhookBody } from '../delivery/delivery.js';
import type { OrderOutcome } from '../order/order-outcome.js';

export function noticeEvent(outcome: OrderOutcome): NoticeEvent {
  return `order.${outcome.kind}`;
}

/** What the client's callbackUrl receives (as JSON): enough to act on without calling us back. */
export function orderWebhook(outcome: OrderOutcome): WebhookBody {
  const common = { event: noticeEvent(outcome), orderId: outcome.orderId, showId: outcome.showId };
  switch (outcome.kind) {
    case 'confirmed':
      return { ...common, seats: outcome.seats, total: outcome.total };
    case 'rejected':
      return { ...common, reason: outcome.reason };
    case 'refunded':
      return { ...common, seatIds: outcome.seatIds, amount: outcome.amount, reason: outcome.reason };
  }
}
