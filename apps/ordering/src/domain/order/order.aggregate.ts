import { AggregateRoot, fail, ok, violation, type Result } from '@boxoffice/ddd';
import type { Money, PaymentReply, PricedSeat, SagaCommand, SeatReply } from './saga-messages.js';

/**
 * An order and the checkout saga that settles it, orchestrated here:
 *
 *   holding-seats → authorizing-payment → confirming-seats → capturing-payment → confirmed
 *
 * The pivot is inventory's seat confirmation, the sale: until it commits,
 * every failure is compensated backwards (void the payment, release the
 * seats, then rejected), a confirmation that inventory refuses (the hold
 * expired, the show was cancelled) included, since nothing was sold. Once
 * the seats are sold the saga only moves forward: capturing is retried until
 * it answers, because undoing a sale is worse than waiting. A confirmation
 * that does not answer is retried too, never given up on: it may have sold
 * the seats. Each step has a deadline kept by the database; `timeOut()` says
 * what to do when it passes.
 * The `*-ing` states are semantic locks: the order is in flight.
 *
 * The way back: a confirmed order can be refunded (`requestRefund()`):
 *
 *   confirmed → refunding → refunded
 *
 * Refunding asks payments to give the captured money back and is retried on
 * timeout like capturing. Payments refuses a refund only when there is no
 * captured payment to give back, which a confirmed order always has; should
 * it happen anyway, retrying would never end, so the order goes back to
 * confirmed with the refusal as its reason (it stays sold, nothing was paid
 * back) and a later request may try again.
 *
 * When the show is cancelled, inventory names every order it sold seats to
 * (a `sale-cancelled` reply): a confirmed order is refunded at once, and one
 * still capturing its payment is refunded as soon as it is confirmed. Orders
 * that only hold seats are refused when they confirm, and end rejected.
 */
export type OrderStatus =
  | 'holding-seats'
  | 'authorizing-payment'
  | 'confirming-seats'
  | 'capturing-payment'
  | 'voiding-payment'
  | 'releasing-seats'
  | 'confirmed'
  | 'rejected'
  | 'refunding'
  | 'refunded';

export const ORDER_CONFIRMED = 'ordering.order-confirmed';
export const ORDER_REJECTED = 'ordering.order-rejected';
export const ORDER_REFUNDED = 'ordering.order-refunded';

export const MAX_SEATS_PER_ORDER = 10;

export interface OrderRequest {
  customerId: string;
  customerEmail: string;
  showId: string;
  seatIds: string[];
  callbackUrl: string | null;
}

export interface SagaSettings {
  holdSeconds: number;
}

export interface OrderState extends OrderRequest {
  id: string;
  version: number;
  status: OrderStatus;
  rejectionReason: string | null;
  seats: PricedSeat[];
  total: Money | null;
  paymentId: string | null;
  /** The show was cancelled after this order bought its seats: it is (to be) refunded for that reason. */
  showCancelled: boolean;
}

export type RefundReason = 'requested' | 'show-cancelled';

/**
 * A state the order entered, and why when a failure or a refusal took it
 * there: the saga's history is made of these, each stamped by the store with
 * its database's clock when it is written.
 */
export interface OrderStep {
  status: OrderStatus;
  reason: string | null;
}

export class Order extends AggregateRoot {
  private pendingCommands: SagaCommand[] = [];
  private enteredSteps: OrderStep[] = [];

  private constructor(private state: OrderState) {
    super(state.id, state.version);
  }

  static place(id: string, request: OrderRequest, settings: SagaSettings): Result<Order> {
    const seatIds = [...new Set(request.seatIds)];
    if (seatIds.length === 0) return fail(violation('no-seats', 'an order needs at least one seat'));
    if (seatIds.length !== request.seatIds.length) return fail(violation('duplicate-seats', 'a seat can be ordered only once per order'));
    if (seatIds.length > MAX_SEATS_PER_ORDER) return fail(violation('too-many-seats', `at most ${MAX_SEATS_PER_ORDER} seats per order`));
    const order = new Order({
      ...request,
      seatIds,
      id,
      version: 0,
      status: 'holding-seats',
      rejectionReason: null,
      seats: [],
      total: null,
      paymentId: null,
      showCancelled: false,
    });
    order.recordChange();
    order.enteredSteps.push({ status: 'holding-seats', reason: null });
    order.send({ to: 'inventory', command: 'hold', seatIds, holdSeconds: settings.holdSeconds });
    return ok(order);
  }

  static restore(state: OrderState): Order {
    return new Order({ ...state });
  }

  get status(): OrderStatus {
    return this.state.status;
  }

  /** No saga step is in flight, so no step has a deadline. */
  get isSettled(): boolean {
    return this.state.status === 'confirmed' || this.state.status === 'rejected' || this.state.status === 'refunded';
  }

  snapshot(): OrderState {
    return { ...this.state, version: this.version };
  }

  pullCommands(): SagaCommand[] {
    const commands = this.pendingCommands;
    this.pendingCommands = [];
    return commands;
  }

  /** The states entered since the order was placed or restored (or since the last pull), in order: its history's new steps. */
  pullSteps(): OrderStep[] {
    const steps = this.enteredSteps;
    this.enteredSteps = [];
    return steps;
  }

  /**
   * Asks for the order's money back. Only a confirmed order can be refunded;
   * asking again while the refund runs, or after it is done, changes nothing.
   */
  requestRefund(): Result<void> {
    switch (this.state.status) {
      case 'confirmed':
        this.state.rejectionReason = null;
        this.moveTo('refunding', { to: 'payments', command: 'refund' });
        return ok(undefined);
      case 'refunding':
      case 'refunded':
        return ok(undefined);
      case 'rejected':
        return fail(violation('order-not-refundable', `order ${this.id} was rejected; nothing was charged`));
      default:
        return fail(violation('order-not-refundable', `order ${this.id} is still being settled (${this.state.status}); only a confirmed order can be refunded`));
    }
  }

  onSeatReply(reply: SeatReply): void {
    const status = this.state.status;
    switch (reply.outcome) {
      case 'held':
        if (status === 'holding-seats') {
          this.state.seats = reply.seats;
          this.state.total = reply.total;
          this.moveTo('authorizing-payment', { to: 'payments', command: 'authorize', amount: reply.total });
        } else if (this.isFailing()) {
          // A hold that arrived after we gave up on it: let it go at once.
          this.send({ to: 'inventory', command: 'release' });
        }
        return;
      case 'hold-rejected':
        if (status === 'holding-seats') this.reject(reply.reason);
        return;
      case 'confirmed':
        if (status === 'confirming-seats') this.moveTo('capturing-payment', { to: 'payments', command: 'capture' });
        return;
      case 'confirm-rejected':
        if (status === 'confirming-seats') this.compensate(reply.reason === 'show-cancelled' ? 'show-cancelled' : 'seat-hold-expired');
        return;
      case 'sale-cancelled':
        return this.onSaleCancelled();
      case 'released':
        if (status === 'releasing-seats') this.reject(this.state.rejectionReason ?? 'released');
        // An expired hold while the saga is still running surfaces when it confirms; nothing to do now.
        return;
    }
  }

  onPaymentReply(reply: PaymentReply): void {
    const status = this.state.status;
    switch (reply.outcome) {
      case 'authorized':
        if (status === 'authorizing-payment') {
          this.state.paymentId = reply.paymentId;
          this.moveTo('confirming-seats', { to: 'inventory', command: 'confirm' });
        } else if (this.isFailing()) {
          this.send({ to: 'payments', command: 'void' });
        }
        return;
      case 'declined':
        if (status === 'authorizing-payment') {
          this.state.rejectionReason = `payment-declined: ${reply.reason}`;
          this.moveTo('releasing-seats', { to: 'inventory', command: 'release' }, this.state.rejectionReason);
        }
        return;
      case 'captured':
        if (status === 'capturing-payment') {
          this.confirm();
          if (this.state.showCancelled) this.moveTo('refunding', { to: 'payments', command: 'refund' }, 'show-cancelled');
        }
        return;
      case 'voided':
        if (status === 'voiding-payment') this.moveTo('releasing-seats', { to: 'inventory', command: 'release' });
        return;
      case 'refunded':
        if (status === 'refunding') this.refunded(reply.amount);
        return;
      case 'rejected':
        // Only a refund is given up on: payments refuses it only when there is no captured payment,
        // which no retry changes. A refused capture stays in flight and is retried on timeout.
        if (status === 'refunding') {
          this.state.rejectionReason = `refund-refused: ${reply.reason}`;
          this.enter('confirmed', this.state.rejectionReason);
          this.recordChange();
        }
        return;
    }
  }

  /** The current step's deadline passed (by the database's clock). */
  timeOut(): void {
    switch (this.state.status) {
      case 'holding-seats':
        this.state.rejectionReason = 'seat-hold-timeout';
        // The hold may still land: release whatever it took.
        return this.moveTo('releasing-seats', { to: 'inventory', command: 'release' }, this.state.rejectionReason);
      case 'authorizing-payment':
        return this.compensate('payment-timeout');
      case 'confirming-seats':
        return this.retry({ to: 'inventory', command: 'confirm' });
      case 'capturing-payment':
        return this.retry({ to: 'payments', command: 'capture' });
      case 'voiding-payment':
        return this.retry({ to: 'payments', command: 'void' });
      case 'releasing-seats':
        return this.retry({ to: 'inventory', command: 'release' });
      case 'refunding':
        return this.retry({ to: 'payments', command: 'refund' });
      case 'confirmed':
      case 'rejected':
      case 'refunded':
        return;
    }
  }

  /**
   * The show is cancelled and inventory had sold this order its seats. Only an
   * order that bought seats hears this: confirmed, or confirming and capturing
   * while the answer that it did is on its way. Heard again (a redelivery,
   * a second cancellation), it changes nothing.
   */
  private onSaleCancelled(): void {
    const status = this.state.status;
    if (status === 'confirmed') {
      this.state.showCancelled = true;
      this.state.rejectionReason = null;
      this.moveTo('refunding', { to: 'payments', command: 'refund' }, 'show-cancelled');
    } else if ((status === 'confirming-seats' || status === 'capturing-payment') && !this.state.showCancelled) {
      // Refunded once it is confirmed (see onPaymentReply 'captured').
      this.state.showCancelled = true;
      this.recordChange();
    }
  }

  private isFailing(): boolean {
    return ['voiding-payment', 'releasing-seats', 'rejected'].includes(this.state.status);
  }

  private compensate(reason: string): void {
    this.state.rejectionReason = reason;
    this.moveTo('voiding-payment', { to: 'payments', command: 'void' }, reason);
  }

  private retry(command: SagaCommand): void {
    this.recordChange();
    this.send(command);
  }

  private moveTo(status: OrderStatus, command: SagaCommand, reason: string | null = null): void {
    this.enter(status, reason);
    this.recordChange();
    this.send(command);
  }

  /** Every change of status goes through here, so that the history misses no step. */
  private enter(status: OrderStatus, reason: string | null = null): void {
    this.state.status = status;
    this.enteredSteps.push({ status, reason });
  }

  private confirm(): void {
    this.enter('confirmed');
    const { id, customerId, customerEmail, showId, seats, total, callbackUrl } = this.state;
    this.raise(ORDER_CONFIRMED, { orderId: id, customerId, customerEmail, showId, seats, total, callbackUrl });
  }

  private refunded(amount: Money): void {
    this.enter('refunded');
    const { id, customerId, customerEmail, showId, seatIds, callbackUrl, showCancelled } = this.state;
    const reason: RefundReason = showCancelled ? 'show-cancelled' : 'requested';
    this.raise(ORDER_REFUNDED, { orderId: id, customerId, customerEmail, showId, seatIds, amount, callbackUrl, reason });
  }

  private reject(reason: string): void {
    this.state.rejectionReason = reason;
    this.enter('rejected', reason);
    const { id, customerId, customerEmail, showId, callbackUrl } = this.state;
    this.raise(ORDER_REJECTED, { orderId: id, customerId, customerEmail, showId, reason, callbackUrl });
  }

  private send(command: SagaCommand): void {
    this.pendingCommands.push(command);
  }
}
