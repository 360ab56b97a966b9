import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ShardListener, ShardRouter } from '@boxoffice/persistence';
import { OrderSettlements, type SettlementWatch } from '../../application/ports/order-settlements.port.js';

/** The channel a transaction that settles an order notifies, with the order id as payload. */
export const ORDER_SETTLED_CHANNEL = 'order_settled';

/** While a shard's notifications cannot be heard (its primary is being replaced), waiters look again this often. */
const LOOK_AGAIN_WHILE_DEAF_MS = 1000;

/**
 * Settlements heard through Postgres LISTEN/NOTIFY: the transaction that
 * settles an order notifies `order_settled` on its shard's primary, and every
 * replica of ordering listens there once somebody waits. NOTIFY is delivered
 * on commit only, so a waiter never hears of a settlement that rolled back;
 * any replica hears any other's, with no broker hop and no shared clock.
 */
@Injectable()
export class PostgresOrderSettlements extends OrderSettlements implements OnModuleDestroy {
  private readonly watches = new Map<string, Set<Watch>>();
  private readonly listeners = new Map<number, ShardListener>();
  private stopping = false;

  constructor(private readonly router: ShardRouter) {
    super();
  }

  watch(orderId: string): SettlementWatch {
    const listener = this.listenerOf(this.router.shardIndexOf(orderId));
    const watch = new Watch(
      () => (this.stopping ? 0 : listener.isListening ? Infinity : LOOK_AGAIN_WHILE_DEAF_MS),
      () => !this.stopping,
      () => this.forget(orderId, watch),
    );
    const forOrder = this.watches.get(orderId) ?? new Set<Watch>();
    forOrder.add(watch);
    this.watches.set(orderId, forOrder);
    return watch;
  }

  /** Waiting requests answer with what they have, so the HTTP server can close without waiting for them. */
  onModuleDestroy(): void {
    this.stopping = true;
    for (const listener of this.listeners.values()) listener.stop();
    for (const forOrder of this.watches.values()) for (const watch of forOrder) watch.signal();
  }

  private listenerOf(shard: number): ShardListener {
    let listener = this.listeners.get(shard);
    if (!listener) {
      listener = new ShardListener(this.router.shards[shard], ORDER_SETTLED_CHANNEL, {
        notified: (orderId) => this.watches.get(orderId)?.forEach((watch) => watch.signal()),
        // Settlements during the gap were not heard: everyone waiting on this shard looks again.
        listening: () => {
          for (const [orderId, forOrder] of this.watches) {
            if (this.router.shardIndexOf(orderId) === shard) forOrder.forEach((watch) => watch.signal());
          }
        },
      });
      this.listeners.set(shard, listener);
      if (!this.stopping) listener.start();
    }
    return listener;
  }

  private forget(orderId: string, watch: Watch): void {
    const forOrder = this.watches.get(orderId);
    forOrder?.delete(watch);
    if (forOrder?.size === 0) this.watches.delete(orderId);
  }
}

class Watch implements SettlementWatch {
  private signalled = false;
  private wake?: () => void;

  constructor(
    /** The longest one `next` may wait before looking again, whatever its caller allows. */
    private readonly longestWait: () => number,
    private readonly mayWait: () => boolean,
    private readonly onClose: () => void,
  ) {}

  signal(): void {
    this.signalled = true;
    this.wake?.();
  }

  async next(millis: number): Promise<boolean> {
    if (!this.signalled) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.wake?.(), Math.min(millis, this.longestWait()));
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
    this.signalled = false;
    return this.mayWait();
  }

  close(): void {
    this.wake?.();
    this.onClose();
  }
}
