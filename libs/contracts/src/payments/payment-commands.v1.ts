import { z } from 'zod';
import { defineEvent } from '../event-contract.js';
import { Money } from '../shared-schemas.js';

/*
 * The payment conversation of the checkout saga, keyed by order id. The
 * order id is the payment's idempotency key: a repeated command finds the
 * existing intent and repeats its answer, never a second charge.
 */

export const AuthorizePaymentV1 = defineEvent(
  'payments.authorize-payment',
  1,
  z.object({ orderId: z.uuid(), customerId: z.string().min(1), amount: Money }),
);

export const CapturePaymentV1 = defineEvent('payments.capture-payment', 1, z.object({ orderId: z.uuid() }));

export const VoidPaymentV1 = defineEvent('payments.void-payment', 1, z.object({ orderId: z.uuid() }));

export const RefundPaymentV1 = defineEvent('payments.refund-payment', 1, z.object({ orderId: z.uuid() }));

export const PaymentReplyV1 = defineEvent(
  'payments.payment-reply',
  1,
  z.discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('authorized'), orderId: z.uuid(), paymentId: z.uuid(), amount: Money }),
    z.object({ outcome: z.literal('declined'), orderId: z.uuid(), reason: z.string() }),
    z.object({ outcome: z.literal('captured'), orderId: z.uuid(), paymentId: z.uuid(), amount: Money }),
    z.object({ outcome: z.literal('voided'), orderId: z.uuid(), paymentId: z.uuid().nullable() }),
    z.object({ outcome: z.literal('refunded'), orderId: z.uuid(), paymentId: z.uuid(), amount: Money }),
    z.object({ outcome: z.literal('rejected'), orderId: z.uuid(), reason: z.string() }),
  ]),
);
