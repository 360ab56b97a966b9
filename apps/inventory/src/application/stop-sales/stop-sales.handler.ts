import { Injectable } from '@nestjs/common';
import type { ShowCancelledPayload } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import { decide, type StopSales } from '../../domain/seat/show-seats.decider.js';
import { SeatInventory } from '../ports/seat-inventory.port.js';

const STOP: StopSales = { type: 'stop-sales' };

/**
 * Reacts to catalog.show-cancelled: no new holds or sales for the show, even
 * if its publication arrives later, and every order that bought seats of it
 * is told, once, in the same transaction (a `sale-cancelled` seat reply, keyed
 * by the order id): ordering refunds it. Inventory is the one context that
 * knows, on one shard, which orders hold a show's sold seats (docs/adr/0026).
 */
@Injectable()
export class StopSalesHandler {
  constructor(private readonly inventory: SeatInventory) {}

  async execute(message: ConsumedMessage<ShowCancelledPayload>): Promise<'stopped' | 'already-stopped' | 'duplicate'> {
    const { showId } = message.payload;
    let stopped = true;
    const inbox = await this.inventory.handleOnce(showId, message, async (seats) => {
      const { events, outcome } = decide(STOP, await seats.load(STOP));
      await seats.store(events);
      if (outcome.kind === 'already-stopped') {
        stopped = false;
        return;
      }
      for (const { orderId, seatIds } of outcome.salesCalledOff) {
        await seats.reply({ outcome: 'sale-cancelled', orderId, showId, seatIds });
      }
    });
    return inbox === 'duplicate' ? 'duplicate' : stopped ? 'stopped' : 'already-stopped';
  }
}
