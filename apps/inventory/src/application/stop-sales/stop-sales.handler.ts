import { Injectable } from '@nestjs/common';
import type { Envelope, ShowCancelledPayload } from '@boxoffice/contracts';
import { SeatInventory } from '../ports/seat-inventory.port.js';

/** Reacts to catalog.show-cancelled: no new holds for the show, even if its publication arrives later. */
@Injectable()
export class StopSalesHandler {
  constructor(private readonly inventory: SeatInventory) {}

  execute(message: Envelope<ShowCancelledPayload>): Promise<'stopped' | 'duplicate'> {
    return this.inventory.stopSales(message, message.payload.showId);
  }
}
