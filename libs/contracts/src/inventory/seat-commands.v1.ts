import { z } from 'zod';
import { defineEvent } from '../event-contract.js';
import { Money, SeatIds, Text } from '../shared-schemas.js';

/*
 * The seat conversation of the checkout saga (the callback style, built on
 * correlated messages rather than in-memory request-reply): ordering sends
 * commands on inventory's one command topic, inventory answers on its reply
 * topic. Every message is keyed by order id, and one topic per direction
 * keeps one order's commands in the order they were sent (a release can never
 * overtake its hold), while different orders spread over partitions and
 * replicas. Two orders racing for one seat are settled by the seat rows.
 * Both legs go through outboxes and inboxes, so the conversation survives
 * restarts, rebalances and duplicates (docs/adr/0008).
 */

export const SeatCommandV1 = defineEvent(
  'inventory.seat-command',
  1,
  z.discriminatedUnion('command', [
    z.object({ command: z.literal('hold'), orderId: z.uuid(), showId: z.uuid(), seatIds: SeatIds, holdSeconds: z.number().int().min(1).max(3600) }),
    z.object({ command: z.literal('confirm'), orderId: z.uuid(), showId: z.uuid() }),
    z.object({ command: z.literal('release'), orderId: z.uuid(), showId: z.uuid() }),
  ]),
);

/** Every answer inventory gives about an order's seats. */
export const SeatReplyV1 = defineEvent(
  'inventory.seat-reply',
  1,
  z.discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('held'),
      orderId: z.uuid(),
      showId: z.uuid(),
      seats: z.array(z.object({ seatId: Text, price: Money })).min(1),
      total: Money,
    }),
    z.object({
      outcome: z.literal('hold-rejected'),
      orderId: z.uuid(),
      showId: z.uuid(),
      reason: z.enum(['seats-unavailable', 'unknown-seats', 'show-not-on-sale']),
      seatIds: z.array(Text),
    }),
    z.object({ outcome: z.literal('confirmed'), orderId: z.uuid(), showId: z.uuid(), seatIds: SeatIds }),
    /** The order holds none of its seats any more (its hold expired, or it never had one), or the show was cancelled. */
    z.object({ outcome: z.literal('confirm-rejected'), orderId: z.uuid(), showId: z.uuid(), reason: z.enum(['hold-expired', 'show-cancelled']) }),
    /**
     * Also sent unasked when inventory expires an order's hold on its own.
     * `showCancelled`: the show was cancelled before the hold ended, so the
     * seats are not for sale again (withdrawn); a sender that predates the
     * field meant `false`.
     */
    z.object({ outcome: z.literal('released'), orderId: z.uuid(), showId: z.uuid(), seatIds: z.array(Text), expired: z.boolean(), showCancelled: z.boolean().default(false) }),
    /**
     * Sent unasked, once per order, when the show is cancelled: these seats
     * were sold to the order and the sale is off (docs/adr/0026).
     */
    z.object({ outcome: z.literal('sale-cancelled'), orderId: z.uuid(), showId: z.uuid(), seatIds: SeatIds }),
  ]),
);

export type SeatCommand = z.infer<typeof SeatCommandV1.payload>;
export type SeatReply = z.infer<typeof SeatReplyV1.payload>;
