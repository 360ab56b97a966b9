import { Order } from '../../src/domain/order/order.aggregate.js';
import type { SeatReply } from '../../src/domain/order/saga-messages.js';

const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const request = { customerId: 'alice', customerEmail: 'alice@example.test', showId: 'show-1', seatIds: ['A-1-1', 'A-1-2'], callbackUrl: null };
const settings = { holdSeconds: 120 };

function placed(): Order {
  const result = Order.place('order-1', request, settings);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function held(order = placed()): Order {
  order.pullCommands();
  order.onSeatReply({ outcome: 'held', seats: [{ seatId: 'A-1-1', price: EUR(5000) }, { seatId: 'A-1-2', price: EUR(5000) }], total: EUR(10000) });
  return order;
}

function authorized(order = held()): Order {
  order.pullCommands();
  order.onPaymentReply({ outcome: 'authorized', paymentId: 'pay-1', amount: EUR(10000) });
  return order;
}

function confirmed(order = authorized()): Order {
  order.pullCommands();
  order.onSeatReply({ outcome: 'confirmed', seatIds: ['A-1-1', 'A-1-2'] });
  order.pullCommands();
  order.onPaymentReply({ outcome: 'captured', paymentId: 'pay-1', amount: EUR(10000) });
  order.pullEvents();
  return order;
}

function refunding(order = confirmed()): Order {
  const requested = order.requestRefund();
  if (!requested.ok) throw new Error(requested.error.message);
  order.pullCommands();
  return order;
}

describe('Order: the checkout saga', () => {
  it('starts by asking inventory to hold the seats', () => {
    const order = placed();
    expect(order.status).toBe('holding-seats');
    expect(order.pullCommands()).toEqual([{ to: 'inventory', command: 'hold', seatIds: ['A-1-1', 'A-1-2'], holdSeconds: 120 }]);
  });

  it('refuses empty, duplicated and oversized seat lists', () => {
    expect(Order.place('o', { ...request, seatIds: [] }, settings).ok).toBe(false);
    expect(Order.place('o', { ...request, seatIds: ['A', 'A'] }, settings).ok).toBe(false);
    expect(Order.place('o', { ...request, seatIds: Array.from({ length: 11 }, (_, i) => `S${i}`) }, settings).ok).toBe(false);
  });

  it('goes hold → authorize → confirm seats → capture → confirmed, and announces it', () => {
    const order = held();
    expect(order.status).toBe('authorizing-payment');
    expect(order.pullCommands()).toEqual([{ to: 'payments', command: 'authorize', amount: EUR(10000) }]);
    order.onPaymentReply({ outcome: 'authorized', paymentId: 'pay-1', amount: EUR(10000) });
    expect(order.pullCommands()).toEqual([{ to: 'inventory', command: 'confirm' }]);
    order.onSeatReply({ outcome: 'confirmed', seatIds: ['A-1-1', 'A-1-2'] });
    expect(order.pullCommands()).toEqual([{ to: 'payments', command: 'capture' }]);
    expect(order.pullEvents()).toEqual([]);
    order.onPaymentReply({ outcome: 'captured', paymentId: 'pay-1', amount: EUR(10000) });
    expect(order.status).toBe('confirmed');
    const [event] = order.pullEvents();
    expect(event).toMatchObject({ type: 'ordering.order-confirmed', aggregateId: 'order-1', payload: { total: EUR(10000), seats: [{ seatId: 'A-1-1' }, { seatId: 'A-1-2' }] } });
    expect(order.pullCommands()).toEqual([]);
  });

  it('is rejected without touching payments when the seats are taken', () => {
    const order = placed();
    order.pullCommands();
    order.onSeatReply({ outcome: 'hold-rejected', reason: 'seats-unavailable', seatIds: ['A-1-2'] });
    expect(order.status).toBe('rejected');
    expect(order.pullCommands()).toEqual([]);
    expect(order.pullEvents()[0]).toMatchObject({ type: 'ordering.order-rejected', payload: { reason: 'seats-unavailable' } });
  });

  it('releases the seats when the payment is declined, then is rejected', () => {
    const order = held();
    order.pullCommands();
    order.onPaymentReply({ outcome: 'declined', reason: 'insufficient funds' });
    expect(order.status).toBe('releasing-seats');
    expect(order.pullCommands()).toEqual([{ to: 'inventory', command: 'release' }]);
    order.onSeatReply({ outcome: 'released', seatIds: ['A-1-1', 'A-1-2'], expired: false });
    expect(order.status).toBe('rejected');
    expect(order.pullEvents()[0]).toMatchObject({ payload: { reason: 'payment-declined: insufficient funds' } });
  });

  it('voids the payment and releases when the hold expired before the sale', () => {
    const order = authorized();
    order.pullCommands();
    order.onSeatReply({ outcome: 'confirm-rejected', reason: 'hold-expired' });
    expect(order.pullCommands()).toEqual([{ to: 'payments', command: 'void' }]);
    order.onPaymentReply({ outcome: 'voided', paymentId: 'pay-1' });
    expect(order.pullCommands()).toEqual([{ to: 'inventory', command: 'release' }]);
    order.onSeatReply({ outcome: 'released', seatIds: [], expired: false });
    expect(order.status).toBe('rejected');
    expect(order.pullEvents()[0]).toMatchObject({ payload: { reason: 'seat-hold-expired' } });
  });

  describe('timeouts', () => {
    it('gives up on a hold that does not answer, releasing whatever it may take', () => {
      const order = placed();
      order.pullCommands();
      order.timeOut();
      expect(order.status).toBe('releasing-seats');
      expect(order.pullCommands()).toEqual([{ to: 'inventory', command: 'release' }]);
    });

    it('compensates a payment that does not answer: void, release, reject', () => {
      const order = held();
      order.pullCommands();
      order.timeOut();
      expect(order.status).toBe('voiding-payment');
      expect(order.pullCommands()).toEqual([{ to: 'payments', command: 'void' }]);
    });

    it('only retries once the payment is authorized: a sale is never undone for being slow', () => {
      const order = authorized();
      order.pullCommands();
      order.timeOut();
      expect(order.status).toBe('confirming-seats');
      expect(order.pullCommands()).toEqual([{ to: 'inventory', command: 'confirm' }]);
    });

    it('does nothing once settled', () => {
      const order = placed();
      order.pullCommands();
      order.onSeatReply({ outcome: 'hold-rejected', reason: 'seats-unavailable', seatIds: [] });
      order.timeOut();
      expect(order.pullCommands()).toEqual([]);
    });
  });

  describe('late and repeated replies', () => {
    it('releases a hold that arrives after the saga gave up on it', () => {
      const order = placed();
      order.pullCommands();
      order.timeOut();
      order.pullCommands();
      order.onSeatReply({ outcome: 'released', seatIds: [], expired: false });
      expect(order.status).toBe('rejected');
      order.onSeatReply({ outcome: 'held', seats: [{ seatId: 'A-1-1', price: EUR(1) }], total: EUR(1) });
      expect(order.pullCommands()).toEqual([{ to: 'inventory', command: 'release' }]);
      expect(order.status).toBe('rejected');
    });

    it('voids an authorization that arrives after the saga gave up on it', () => {
      const order = held();
      order.pullCommands();
      order.timeOut();
      order.pullCommands();
      order.onPaymentReply({ outcome: 'authorized', paymentId: 'pay-1', amount: EUR(10000) });
      expect(order.pullCommands()).toEqual([{ to: 'payments', command: 'void' }]);
    });

    it('ignores a repeated answer to a step already taken', () => {
      const order = authorized();
      order.pullCommands();
      const version = order.version;
      order.onPaymentReply({ outcome: 'authorized', paymentId: 'pay-1', amount: EUR(10000) });
      order.onSeatReply({ outcome: 'held', seats: [], total: EUR(0) });
      expect(order.pullCommands()).toEqual([]);
      expect(order.version).toBe(version);
    });
  });

  describe('refunds', () => {
    it('asks payments to refund a confirmed order, and is refunded when it answers, announcing it', () => {
      const order = confirmed();
      expect(order.requestRefund().ok).toBe(true);
      expect(order.status).toBe('refunding');
      expect(order.isSettled).toBe(false);
      expect(order.pullCommands()).toEqual([{ to: 'payments', command: 'refund' }]);
      expect(order.pullEvents()).toEqual([]);
      order.onPaymentReply({ outcome: 'refunded', paymentId: 'pay-1', amount: EUR(10000) });
      expect(order.status).toBe('refunded');
      expect(order.isSettled).toBe(true);
      expect(order.pullCommands()).toEqual([]);
      const [event] = order.pullEvents();
      expect(event).toEqual({
        type: 'ordering.order-refunded',
        aggregateId: 'order-1',
        aggregateVersion: order.version,
        payload: { orderId: 'order-1', customerId: 'alice', customerEmail: 'alice@example.test', showId: 'show-1', seatIds: ['A-1-1', 'A-1-2'], amount: EUR(10000), callbackUrl: null, reason: 'requested' },
      });
    });

    it('treats a repeated request as a no-op, while refunding and once refunded', () => {
      const order = refunding();
      const version = order.version;
      expect(order.requestRefund().ok).toBe(true);
      expect(order.pullCommands()).toEqual([]);
      expect(order.version).toBe(version);
      order.onPaymentReply({ outcome: 'refunded', paymentId: 'pay-1', amount: EUR(10000) });
      order.pullEvents();
      const refundedVersion = order.version;
      expect(order.requestRefund().ok).toBe(true);
      expect(order.status).toBe('refunded');
      expect(order.pullCommands()).toEqual([]);
      expect(order.pullEvents()).toEqual([]);
      expect(order.version).toBe(refundedVersion);
    });

    it('refuses to refund a rejected order or one still being settled, as a business answer', () => {
      const rejected = placed();
      rejected.onSeatReply({ outcome: 'hold-rejected', reason: 'seats-unavailable', seatIds: [] });
      const refusal = rejected.requestRefund();
      expect(refusal.ok).toBe(false);
      if (!refusal.ok) expect(refusal.error.code).toBe('order-not-refundable');
      expect(rejected.status).toBe('rejected');

      const inFlight = authorized();
      inFlight.pullCommands();
      const early = inFlight.requestRefund();
      expect(early.ok).toBe(false);
      if (!early.ok) expect(early.error.code).toBe('order-not-refundable');
      expect(inFlight.status).toBe('confirming-seats');
      expect(inFlight.pullCommands()).toEqual([]);
    });

    it('retries the refund when payments does not answer in time', () => {
      const order = refunding();
      order.timeOut();
      expect(order.status).toBe('refunding');
      expect(order.pullCommands()).toEqual([{ to: 'payments', command: 'refund' }]);
    });

    it('ignores a repeated refunded answer: announced once', () => {
      const order = refunding();
      order.onPaymentReply({ outcome: 'refunded', paymentId: 'pay-1', amount: EUR(10000) });
      order.pullEvents();
      const version = order.version;
      order.onPaymentReply({ outcome: 'refunded', paymentId: 'pay-1', amount: EUR(10000) });
      expect(order.pullEvents()).toEqual([]);
      expect(order.version).toBe(version);
    });

    it('gives up a refund payments refuses: back to confirmed with the reason, and may be asked again', () => {
      const order = refunding();
      order.onPaymentReply({ outcome: 'rejected', reason: 'payment-not-captured' });
      expect(order.status).toBe('confirmed');
      expect(order.isSettled).toBe(true);
      expect(order.snapshot().rejectionReason).toBe('refund-refused: payment-not-captured');
      expect(order.pullEvents()).toEqual([]);
      expect(order.pullCommands()).toEqual([]);
      expect(order.requestRefund().ok).toBe(true);
      expect(order.snapshot().rejectionReason).toBeNull();
      expect(order.pullCommands()).toEqual([{ to: 'payments', command: 'refund' }]);
    });

    it('does not take a refunded answer or a refusal for anything but a refund in flight', () => {
      const order = confirmed();
      const version = order.version;
      order.onPaymentReply({ outcome: 'refunded', paymentId: 'pay-1', amount: EUR(10000) });
      order.onPaymentReply({ outcome: 'rejected', reason: 'payment-refunded' });
      expect(order.status).toBe('confirmed');
      expect(order.snapshot().rejectionReason).toBeNull();
      expect(order.version).toBe(version);
      expect(order.pullEvents()).toEqual([]);
    });

    it('does nothing on timeout once refunded', () => {
      const order = refunding();
      order.onPaymentReply({ outcome: 'refunded', paymentId: 'pay-1', amount: EUR(10000) });
      order.timeOut();
      expect(order.pullCommands()).toEqual([]);
      expect(order.status).toBe('refunded');
    });
  });

  describe('show cancelled', () => {
    const saleCancelled: SeatReply = { outcome: 'sale-cancelled', seatIds: ['A-1-1', 'A-1-2'] };

    it('refunds a confirmed order at once, and says why when refunded', () => {
      const order = confirmed();
      order.onSeatReply(saleCancelled);
      expect(order.status).toBe('refunding');
      expect(order.pullCommands()).toEqual([{ to: 'payments', command: 'refund' }]);
      order.onPaymentReply({ outcome: 'refunded', paymentId: 'pay-1', amount: EUR(10000) });
      const [event] = order.pullEvents();
      expect(event.payload).toMatchObject({ orderId: 'order-1', reason: 'show-cancelled', amount: EUR(10000) });
    });

    it('is refunded once however often it hears of it, also while refunding and once refunded', () => {
      const order = confirmed();
      order.onSeatReply(saleCancelled);
      order.pullCommands();
      const version = order.version;
      order.onSeatReply(saleCancelled);
      expect(order.version).toBe(version);
      expect(order.pullCommands()).toEqual([]);
      order.onPaymentReply({ outcome: 'refunded', paymentId: 'pay-1', amount: EUR(10000) });
      order.pullEvents();
      order.onSeatReply(saleCancelled);
      expect(order.status).toBe('refunded');
      expect(order.pullCommands()).toEqual([]);
      expect(order.pullEvents()).toEqual([]);
    });

    it('refunds an order still capturing its payment as soon as it is confirmed', () => {
      const order = authorized();
      order.pullCommands();
      order.onSeatReply({ outcome: 'confirmed', seatIds: ['A-1-1', 'A-1-2'] });
      order.pullCommands();
      order.onSeatReply(saleCancelled);
      expect(order.status).toBe('capturing-payment');
      expect(order.pullCommands()).toEqual([]);
      order.onPaymentReply({ outcome: 'captured', paymentId: 'pay-1', amount: EUR(10000) });
      expect(order.status).toBe('refunding');
      expect(order.pullEvents().map((e) => e.type)).toEqual(['ordering.order-confirmed']);
      expect(order.pullCommands()).toEqual([{ to: 'payments', command: 'refund' }]);
    });

    it('hears of it while confirming its seats (the confirmed answer still on its way) and refunds once confirmed', () => {
      const order = authorized();
      order.pullCommands();
      order.onSeatReply(saleCancelled);
      order.onSeatReply({ outcome: 'confirmed', seatIds: ['A-1-1', 'A-1-2'] });
      order.pullCommands();
      order.onPaymentReply({ outcome: 'captured', paymentId: 'pay-1', amount: EUR(10000) });
      expect(order.status).toBe('refunding');
    });

    it('ends rejected when inventory refuses to confirm because the show is cancelled', () => {
      const order = authorized();
      order.pullCommands();
      order.onSeatReply({ outcome: 'confirm-rejected', reason: 'show-cancelled' });
      expect(order.status).toBe('voiding-payment');
      expect(order.snapshot().rejectionReason).toBe('show-cancelled');
    });

    it('ignores it in any other state: such an order bought nothing', () => {
      for (const order of [placed(), held()]) {
        const version = order.version;
        order.onSeatReply(saleCancelled);
        expect(order.version).toBe(version);
      }
    });
  });

  describe('the steps it passed (its history)', () => {
    it('tells each state it entered once, in order, and hands them over once', () => {
      const order = confirmed();
      expect(order.pullSteps()).toEqual(['holding-seats', 'authorizing-payment', 'confirming-seats', 'capturing-payment', 'confirmed'].map((status) => ({ status, reason: null })));
      expect(order.pullSteps()).toEqual([]);
    });

    it('says why a declined payment released the seats and rejected the order', () => {
      const order = held();
      order.onPaymentReply({ outcome: 'declined', reason: 'insufficient-funds' });
      order.onSeatReply({ outcome: 'released', seatIds: ['A-1-1', 'A-1-2'], expired: false });
      expect(order.pullSteps()).toEqual([
        { status: 'holding-seats', reason: null },
        { status: 'authorizing-payment', reason: null },
        { status: 'releasing-seats', reason: 'payment-declined: insufficient-funds' },
        { status: 'rejected', reason: 'payment-declined: insufficient-funds' },
      ]);
    });

    it('adds nothing for a retried step, and both steps when one answer confirms and starts a refund', () => {
      const order = authorized();
      order.onSeatReply({ outcome: 'confirmed', seatIds: ['A-1-1', 'A-1-2'] });
      order.onSeatReply({ outcome: 'sale-cancelled', seatIds: ['A-1-1', 'A-1-2'] });
      order.pullSteps();
      order.timeOut();
      expect(order.pullSteps()).toEqual([]);
      order.onPaymentReply({ outcome: 'captured', paymentId: 'pay-1', amount: EUR(10000) });
      expect(order.pullSteps()).toEqual([
        { status: 'confirmed', reason: null },
        { status: 'refunding', reason: 'show-cancelled' },
      ]);
    });

    it('starts afresh when restored: the stored history is the store’s', () => {
      expect(Order.restore(confirmed().snapshot()).pullSteps()).toEqual([]);
    });
  });
});
