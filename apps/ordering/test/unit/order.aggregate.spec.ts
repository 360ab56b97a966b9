import { Order } from '../../src/domain/order/order.aggregate.js';

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
});
