import { AggregateRoot, fail, ok, violation, type BusinessRuleViolation, type Result } from '@boxoffice/ddd';
import { sameMoney, type Money } from '../money.js';
import type { PaymentAnswer } from './payment-answer.js';

export type PaymentStatus = 'authorized' | 'declined' | 'captured' | 'voided' | 'refunded';

/** What an order's first authorize command asked for, and the id payments gave that payment. */
export interface RequestedPayment {
  paymentId: string;
  customerId: string;
  amount: Money;
}

/** The payment provider's answer to an authorization request. */
export type AuthorizationDecision = { approved: true } | { approved: false; reason: string };

/*
 * Domain events. They are not published: in the command's transaction they
 * become ledger transactions (see ledger/posting-rules.ts), and each one bumps
 * the intent's version.
 */
export const PAYMENT_AUTHORIZED = 'payments.payment-authorized';
export const PAYMENT_DECLINED = 'payments.payment-declined';
export const PAYMENT_CAPTURED = 'payments.payment-captured';
export const PAYMENT_VOIDED = 'payments.payment-voided';
export const PAYMENT_REFUNDED = 'payments.payment-refunded';
export const VOIDED_BEFORE_AUTHORIZATION = 'payments.voided-before-authorization';

/** The payload of the events that move money. */
export interface PaymentMoneyMoved {
  orderId: string;
  paymentId: string;
  amount: Money;
}

/** Capture and refund need a payment to act on. */
export function noPaymentFor(orderId: string): BusinessRuleViolation {
  return violation('no-payment', `order ${orderId} has no payment`);
}

/**
 * One order's payment. The order id is its identity and the idempotency key:
 * an order has at most one intent, so a repeated authorize can never charge
 * twice. Every command is answered from the intent's state, so repeating a
 * command (even under a new message id) repeats its answer and changes
 * nothing:
 *
 *   authorize ─► authorized ─capture─► captured ─refund─► refunded
 *       │            └──void──► voided
 *       └─► declined (void: a harmless no-op)
 */
export class PaymentIntent extends AggregateRoot {
  private constructor(
    orderId: string,
    version: number,
    /** Null only for an order voided before any authorization reached payments. */
    readonly requested: RequestedPayment | null,
    private currentStatus: PaymentStatus,
    readonly declineReason: string | null,
  ) {
    super(orderId, version);
  }

  /** The intent an order's first authorize command creates, with the provider's decision. */
  static open(orderId: string, requested: RequestedPayment, decision: AuthorizationDecision): PaymentIntent {
    if (decision.approved) {
      const intent = new PaymentIntent(orderId, 0, requested, 'authorized', null);
      intent.raise<PaymentMoneyMoved>(PAYMENT_AUTHORIZED, { orderId, paymentId: requested.paymentId, amount: requested.amount });
      return intent;
    }
    const intent = new PaymentIntent(orderId, 0, requested, 'declined', decision.reason);
    intent.raise(PAYMENT_DECLINED, { orderId, paymentId: requested.paymentId, reason: decision.reason });
    return intent;
  }

  /**
   * A void that arrives before its order's authorization (the saga gave up
   * waiting, and the two commands travel on different topics) leaves this
   * marker, so the late authorization is refused instead of holding money for
   * an order that is already rejected.
   */
  static voidedBeforeAuthorization(orderId: string): PaymentIntent {
    const intent = new PaymentIntent(orderId, 0, null, 'voided', null);
    intent.raise(VOIDED_BEFORE_AUTHORIZATION, { orderId });
    return intent;
  }

  static restore(props: { orderId: string; version: number; requested: RequestedPayment | null; status: PaymentStatus; declineReason: string | null }): PaymentIntent {
    return new PaymentIntent(props.orderId, props.version, props.requested, props.status, props.declineReason);
  }

  get orderId(): string {
    return this.id;
  }

  get status(): PaymentStatus {
    return this.currentStatus;
  }

  /**
   * The answer to an authorize command. The provider decides once, when the
   * intent is opened; every later authorize for the order gets that same
   * answer, whatever happened since.
   */
  authorize(request: { customerId: string; amount: Money }): Result<PaymentAnswer> {
    if (!this.requested) return fail(violation('payment-voided', `order ${this.id} was voided before it was authorized`));
    if (request.customerId !== this.requested.customerId || !sameMoney(request.amount, this.requested.amount)) {
      return fail(violation('authorization-mismatch', `order ${this.id} was already authorized for another customer or amount`));
    }
    if (this.currentStatus === 'declined') return ok({ outcome: 'declined', orderId: this.id, reason: this.declineReason ?? 'declined' });
    return ok({ outcome: 'authorized', orderId: this.id, ...this.moneyOf(this.requested) });
  }

  /** Takes the authorized money. Capturing again answers the same and takes nothing more. */
  capture(): Result<PaymentAnswer> {
    switch (this.currentStatus) {
      case 'authorized':
        this.currentStatus = 'captured';
        this.raise<PaymentMoneyMoved>(PAYMENT_CAPTURED, { orderId: this.id, ...this.moneyOf(this.payment()) });
        return ok({ outcome: 'captured', orderId: this.id, ...this.moneyOf(this.payment()) });
      case 'captured':
      case 'refunded':
        return ok({ outcome: 'captured', orderId: this.id, ...this.moneyOf(this.payment()) });
      case 'declined':
        return fail(violation('payment-declined', `order ${this.id}'s payment was declined; there is nothing to capture`));
      case 'voided':
        return fail(violation('payment-voided', `order ${this.id}'s payment was voided; there is nothing to capture`));
    }
  }

  /** Releases an authorization that will not be captured. A payment that holds nothing is voided trivially. */
  void(): Result<PaymentAnswer> {
    switch (this.currentStatus) {
      case 'authorized':
        this.currentStatus = 'voided';
        this.raise<PaymentMoneyMoved>(PAYMENT_VOIDED, { orderId: this.id, ...this.moneyOf(this.payment()) });
        return ok({ outcome: 'voided', orderId: this.id, paymentId: this.payment().paymentId });
      case 'voided':
        return ok({ outcome: 'voided', orderId: this.id, paymentId: this.requested?.paymentId ?? null });
      case 'declined':
        return ok({ outcome: 'voided', orderId: this.id, paymentId: null });
      case 'captured':
        return fail(violation('payment-captured', `order ${this.id}'s payment is captured; it can be refunded, not voided`));
      case 'refunded':
        return fail(violation('payment-refunded', `order ${this.id}'s payment is already refunded`));
    }
  }

  /** Gives captured money back, in full. Refunding again answers the same and gives nothing more. */
  refund(): Result<PaymentAnswer> {
    switch (this.currentStatus) {
      case 'captured':
        this.currentStatus = 'refunded';
        this.raise<PaymentMoneyMoved>(PAYMENT_REFUNDED, { orderId: this.id, ...this.moneyOf(this.payment()) });
        return ok({ outcome: 'refunded', orderId: this.id, ...this.moneyOf(this.payment()) });
      case 'refunded':
        return ok({ outcome: 'refunded', orderId: this.id, ...this.moneyOf(this.payment()) });
      case 'authorized':
        return fail(violation('payment-not-captured', `order ${this.id}'s payment is only authorized; it can be voided, not refunded`));
      case 'declined':
        return fail(violation('payment-declined', `order ${this.id}'s payment was declined; there is nothing to refund`));
      case 'voided':
        return fail(violation('payment-voided', `order ${this.id}'s payment was voided; there is nothing to refund`));
    }
  }

  /** Every status but a void-before-authorization has a requested payment; reaching here without one is a bug. */
  private payment(): RequestedPayment {
    if (!this.requested) throw new Error(`payment intent ${this.id} in status ${this.currentStatus} has no requested payment`);
    return this.requested;
  }

  private moneyOf(payment: RequestedPayment): { paymentId: string; amount: Money } {
    return { paymentId: payment.paymentId, amount: { ...payment.amount } };
  }
}
