import type { CausalContext, ConsumedMessage } from '@boxoffice/messaging';
import { OrderStore, type CustomerOrdersPage, type OrderOutcomes, type OrderTransaction, type PlaceOutcome, type SagasInState, type StoredOrder } from '../../src/application/ports/order-store.port.js';
import { ReplyBacklog } from '../../src/application/ports/reply-backlog.port.js';
import { TimeOutStepsHandler } from '../../src/application/time-out-steps/time-out-steps.handler.js';
import { Order } from '../../src/domain/order/order.aggregate.js';

/** One order whose hold step is past its deadline; records what the handler asked, in order. */
class OneOrderDue extends OrderStore {
  constructor(private readonly calls: string[]) {
    super();
  }

  timeOutDue(_limit: number, work: (order: Order) => void): Promise<number> {
    this.calls.push('sweep');
    const placed = Order.place('order-1', { customerId: 'alice', customerEmail: 'alice@example.test', showId: 'show-1', seatIds: ['A-1-1'], callbackUrl: null }, { holdSeconds: 60 });
    if (!placed.ok) throw new Error(placed.error.message);
    work(placed.value);
    return Promise.resolve(1);
  }

  place(_order: Order, _fingerprint: string, _causal: CausalContext): Promise<PlaceOutcome> {
    throw new Error('not used');
  }
  handleOnce(_orderId: string, _message: ConsumedMessage, _work: (orders: OrderTransaction) => Promise<void>): Promise<'processed' | 'duplicate'> {
    throw new Error('not used');
  }
  change<T>(_orderId: string, _work: (orders: OrderTransaction) => Promise<T>): Promise<T> {
    throw new Error('not used');
  }
  findById(_orderId: string): Promise<StoredOrder | undefined> {
    throw new Error('not used');
  }
  findByCustomer(_customerId: string, _limit: number, _after?: string): Promise<CustomerOrdersPage | undefined> {
    throw new Error('not used');
  }
  findByShow(_showId: string, _limit: number): Promise<Order[]> {
    throw new Error('not used');
  }
  countInFlight(): Promise<SagasInState[]> {
    throw new Error('not used');
  }
  oldestInFlight(): Promise<never[]> {
    throw new Error('not used');
  }
  countOutcomes(): Promise<OrderOutcomes> {
    throw new Error('not used');
  }
}

class Backlog extends ReplyBacklog {
  constructor(
    private readonly answers: boolean[],
    private readonly calls: string[],
  ) {
    super();
  }

  readUpToNow(): Promise<boolean> {
    this.calls.push('backlog');
    return Promise.resolve(this.answers.shift() ?? true);
  }
}

describe('TimeOutStepsHandler', () => {
  it('times out nothing while replies on the broker are unread, however late the deadlines', async () => {
    const calls: string[] = [];
    const handler = new TimeOutStepsHandler(new OneOrderDue(calls), new Backlog([false, false], calls));
    expect(await handler.execute()).toBe(0);
    expect(await handler.execute()).toBe(0);
    expect(calls).toEqual(['backlog', 'backlog']);
  });

  it('sweeps the deadlines once every reply on the broker has been read, asking before it reads them', async () => {
    const calls: string[] = [];
    const handler = new TimeOutStepsHandler(new OneOrderDue(calls), new Backlog([false, true], calls));
    expect(await handler.execute()).toBe(0);
    expect(await handler.execute()).toBe(1);
    expect(calls).toEqual(['backlog', 'backlog', 'sweep']);
  });
});
