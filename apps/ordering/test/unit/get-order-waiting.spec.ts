import type { CausalContext, ConsumedMessage } from '@boxoffice/messaging';
import { GetOrderQuery } from '../../src/application/get-order/get-order.query.js';
import { OrderSettlements, type SettlementWatch } from '../../src/application/ports/order-settlements.port.js';
import { OrderStore, type CustomerOrdersPage, type OrderTransaction, type PlaceOutcome, type StoredOrder } from '../../src/application/ports/order-store.port.js';
import { Order } from '../../src/domain/order/order.aggregate.js';

/** An order that settles (is rejected) on the n-th read, as if the saga finished meanwhile. */
class OrdersSettlingAfter extends OrderStore {
  readonly calls: string[];
  private reads = 0;

  constructor(
    private readonly settlesOnRead: number,
    calls: string[],
  ) {
    super();
    this.calls = calls;
  }

  findById(orderId: string): Promise<StoredOrder | undefined> {
    this.calls.push('read');
    if (orderId !== 'order-1') return Promise.resolve(undefined);
    this.reads += 1;
    const placed = Order.place('order-1', { customerId: 'alice', customerEmail: 'alice@example.test', showId: 'show-1', seatIds: ['A-1-1'], callbackUrl: null }, { holdSeconds: 60 });
    if (!placed.ok) throw new Error(placed.error.message);
    const order = placed.value;
    if (this.reads >= this.settlesOnRead) order.onSeatReply({ outcome: 'hold-rejected', reason: 'seat-taken', seatIds: ['A-1-1'] });
    return Promise.resolve({ order, placedAt: new Date(), history: [], traceId: null });
  }

  place(_order: Order, _fingerprint: string, _causal: CausalContext): Promise<PlaceOutcome> {
    throw new Error('not used');
  }
  findByShow(_showId: string, _limit: number): Promise<Order[]> {
    throw new Error('not used');
  }
  findByCustomer(_customerId: string, _limit: number, _after?: string): Promise<CustomerOrdersPage | undefined> {
    throw new Error('not used');
  }
  handleOnce(_orderId: string, _message: ConsumedMessage, _work: (orders: OrderTransaction) => Promise<void>): Promise<'processed' | 'duplicate'> {
    throw new Error('not used');
  }
  change<T>(_orderId: string, _work: (orders: OrderTransaction) => Promise<T>): Promise<T> {
    throw new Error('not used');
  }
  timeOutDue(): Promise<number> {
    throw new Error('not used');
  }
  countInFlight(): Promise<never[]> {
    throw new Error('not used');
  }
  oldestInFlight(): Promise<never[]> {
    throw new Error('not used');
  }
  countOutcomes(): Promise<never> {
    throw new Error('not used');
  }
}

/** Signals at once (as if the order had just settled), or never, or says the service is stopping. */
class ScriptedSettlements extends OrderSettlements {
  constructor(
    private readonly behaviour: 'signal' | 'silent' | 'stopping',
    private readonly calls: string[],
  ) {
    super();
  }

  watch(): SettlementWatch {
    this.calls.push('watch');
    return {
      next: async (millis) => {
        this.calls.push('next');
        if (this.behaviour === 'silent') await new Promise((resolve) => setTimeout(resolve, millis));
        return this.behaviour !== 'stopping';
      },
      close: () => this.calls.push('close'),
    };
  }
}

function query(settlesOnRead: number, behaviour: 'signal' | 'silent' | 'stopping') {
  const calls: string[] = [];
  return { calls, getOrder: new GetOrderQuery(new OrdersSettlingAfter(settlesOnRead, calls), new ScriptedSettlements(behaviour, calls)) };
}

describe('reading an order, waiting for it to settle (Prefer: wait)', () => {
  it('reads once and watches nothing when not asked to wait', async () => {
    const { calls, getOrder } = query(5, 'signal');
    const order = await getOrder.execute('order-1');
    expect(order?.settled).toBe(false);
    expect(calls).toEqual(['read']);
  });

  it('starts watching before it reads, so a settlement in between is not missed, and reads again after every signal', async () => {
    const { calls, getOrder } = query(3, 'signal');
    const order = await getOrder.execute('order-1', 10000);
    expect(order).toMatchObject({ status: 'rejected', settled: true });
    expect(calls).toEqual(['watch', 'read', 'next', 'read', 'next', 'read', 'close']);
  });

  it('answers at once for an order that is already settled', async () => {
    const { calls, getOrder } = query(1, 'silent');
    expect(await getOrder.execute('order-1', 10000)).toMatchObject({ settled: true });
    expect(calls).toEqual(['watch', 'read', 'close']);
  });

  it('answers with the order as it stands once the wait is over', async () => {
    const { calls, getOrder } = query(Infinity, 'silent');
    const order = await getOrder.execute('order-1', 30);
    expect(order).toMatchObject({ status: 'holding-seats', settled: false });
    expect(calls.at(-1)).toBe('close');
    expect(calls.filter((c) => c === 'read').length).toBeGreaterThanOrEqual(2);
  });

  it('stops waiting when the service is stopping', async () => {
    const { calls, getOrder } = query(Infinity, 'stopping');
    expect(await getOrder.execute('order-1', 10000)).toMatchObject({ settled: false });
    expect(calls).toEqual(['watch', 'read', 'next', 'read', 'close']);
  });

  it('answers someone else’s order as unknown at once, without waiting on it', async () => {
    const { calls, getOrder } = query(Infinity, 'silent');
    expect(await getOrder.execute('order-1', 10000, { customerId: 'mallory' })).toBeUndefined();
    expect(calls).toEqual(['watch', 'read', 'close']);
    expect(await getOrder.execute('order-1', 0, { customerId: 'mallory' })).toBeUndefined();
    expect(await getOrder.execute('order-1', 0, { customerId: 'alice' })).toMatchObject({ customerId: 'alice' });
  });

  it('answers nothing for an unknown order, and stops watching', async () => {
    const { calls, getOrder } = query(1, 'signal');
    expect(await getOrder.execute('order-2', 10000)).toBeUndefined();
    expect(calls).toEqual(['watch', 'read', 'close']);
  });
});
