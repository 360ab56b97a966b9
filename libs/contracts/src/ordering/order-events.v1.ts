import { z } from 'zod';
import { defineEvent } from '../event-contract.js';
import { Money, Text } from '../shared-schemas.js';

/** Domain events of the Order: several contexts react to them independently. */

export const OrderConfirmedV1 = defineEvent(
  'ordering.order-confirmed',
  1,
  z.object({
    orderId: z.uuid(),
    customerId: Text,
    customerEmail: z.email(),
    showId: z.uuid(),
    seats: z.array(z.object({ seatId: Text, price: Money })).min(1),
    total: Money,
    callbackUrl: z.url().nullable(),
  }),
);

export const OrderRejectedV1 = defineEvent(
  'ordering.order-rejected',
  1,
  z.object({
    orderId: z.uuid(),
    customerId: Text,
    customerEmail: z.email(),
    showId: z.uuid(),
    reason: Text,
    callbackUrl: z.url().nullable(),
  }),
);

/**
 * Why an order was refunded: its customer (or an admin) asked, or its show
 * was cancelled. Messages from before the field existed were all asked for.
 */
export const RefundReason = z.enum(['requested', 'show-cancelled']);
export type RefundReason = z.infer<typeof RefundReason>;

/** A confirmed order whose payment was refunded in full: its seats go back on sale, its tickets are void. */
export const OrderRefundedV1 = defineEvent(
  'ordering.order-refunded',
  1,
  z.object({
    orderId: z.uuid(),
    customerId: Text,
    customerEmail: z.email(),
    showId: z.uuid(),
    seatIds: z.array(Text).min(1),
    amount: Money,
    callbackUrl: z.url().nullable(),
    reason: RefundReason.default('requested'),
  }),
);
