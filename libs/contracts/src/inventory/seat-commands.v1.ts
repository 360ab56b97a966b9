import { z } from 'zod';
import { defineEvent } from '../event-contract.js';
import { Money, SeatIds } from '../shared-schemas.js';

/*
 * The seat conversation of the checkout saga: ordering sends commands on
 * inventory's command topics, inventory answers on its reply topic. Every
 * message is keyed by order id, so one order's conversation stays in order
 * while different orders spread over partitions and replicas; two orders
 * racing for one seat are settled by the seat rows themselves. Both legs go
 * through outboxes and inboxes, so the conversation survives restarts,
 * rebalances and duplicates.
 */

export const HoldSeatsV1 = defineEvent(
  'inventory.hold-seats',
  1,
  z.object({ orderId: z.uuid(), showId: z.uuid(), seatIds: SeatIds, holdSeconds: z.number().int().min(10).max(3600) }),
);

export const ConfirmSeatsV1 = defineEvent('inventory.confirm-seats', 1, z.object({ orderId: z.uuid(), showId: z.uuid() }));

export const ReleaseSeatsV1 = defineEvent('inventory.release-seats', 1, z.object({ orderId: z.uuid(), showId: z.uuid() }));

/** Every answer inventory gives about an order's seats, on one topic so they stay in order per order. */
export const SeatReplyV1 = defineEvent(
  'inventory.seat-reply',
  1,
  z.discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('held'),
      orderId: z.uuid(),
      showId: z.uuid(),
      seats: z.array(z.object({ seatId: z.string(), price: Money })).min(1),
      total: Money,
    }),
    z.object({
      outcome: z.literal('hold-rejected'),
      orderId: z.uuid(),
      showId: z.uuid(),
      reason: z.enum(['seats-unavailable', 'unknown-seats', 'show-not-on-sale']),
      seatIds: z.array(z.string()),
    }),
    z.object({ outcome: z.literal('confirmed'), orderId: z.uuid(), showId: z.uuid(), seatIds: SeatIds }),
    z.object({ outcome: z.literal('confirm-rejected'), orderId: z.uuid(), showId: z.uuid(), reason: z.enum(['hold-expired', 'no-hold']) }),
    z.object({ outcome: z.literal('released'), orderId: z.uuid(), showId: z.uuid(), seatIds: z.array(z.string()), expired: z.boolean() }),
  ]),
);
