import { Injectable } from '@nestjs/common';
import type { Envelope, ShowCancelledPayload } from '@boxoffice/contracts';
import { salesToCallOff } from '../../domain/seat/seat-policies.js';
import { SeatInventory } from '../ports/seat-inventory.port.js';

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

  execute(message: Envelope<ShowCancelledPayload>): Promise<'stopped' | 'duplicate'> {
    const { showId } = message.payload;
    return this.inventory.stopSales(message, showId, async (seats) => {
      for (const { orderId, seatIds } of salesToCallOff(await seats.lockSoldSeats())) {
        await seats.reply({ outcome: 'sale-cancelled', orderId, showId, seatIds });
      }
    });
  }
}
