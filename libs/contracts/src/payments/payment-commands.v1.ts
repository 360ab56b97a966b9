import { z } from 'zod';
import { defineEvent } from '../event-contract.js';
import { Money, Text } from '../shared-schemas.js';

/*
 * The payment conversation of the checkout saga: commands on payments' one
 * command topic, answers on its reply topic, everything keyed by order id (so
 * a void can never overtake its authorization). The order id is the payment's
 * idempotency key: a repeated command finds the existing intent and repeats
 * its answer, never a second charge.
 */

export const PaymentCommandV1 = defineEvent(
  'payments.payment-command',
  1,
  z.discriminatedUnion('command', [
    z.object({ command: z.literal('authorize'), orderId: z.uuid(), customerId: Text.min(1), amount: Money }),
    z.object({ command: z.literal('capture'), orderId: z.uuid() }),
    z.object({ command: z.literal('void'), orderId: z.uuid() }),
    z.object({ command: z.literal('refund'), orderId: z.uuid() }),
  ]),
);

export const PaymentReplyV1 = defineEvent(
  'payments.payment-reply',
  1,
  z.discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('authorized'), orderId: z.uuid(), paymentId: z.uuid(), amount: Money }),
    z.object({ outcome: z.literal('declined'), orderId: z.uuid(), reason: Text }),
    z.object({ outcome: z.literal('captured'), orderId: z.uuid(), paymentId: z.uuid(), amount: Money }),
    z.object({ outcome: z.literal('voided'), orderId: z.uuid(), paymentId: z.uuid().nullable() }),
    z.object({ outcome: z.literal('refunded'), orderId: z.uuid(), paymentId: z.uuid(), amount: Money }),
    /** The command does not fit the payment's state (e.g. capture after void). */
    z.object({ outcome: z.literal('rejected'), orderId: z.uuid(), reason: Text }),
  ]),
);

export type PaymentCommand = z.infer<typeof PaymentCommandV1.payload>;
export type PaymentReply = z.infer<typeof PaymentReplyV1.payload>;
