import { Injectable } from '@nestjs/common';
import type { Envelope, ShowPublishedPayload } from '@boxoffice/contracts';
import { seatsForSale } from '../../domain/seat/show-on-sale.js';
import { SeatInventory } from '../ports/seat-inventory.port.js';

/** Reacts to catalog.show-published: the show's seats become available. */
@Injectable()
export class OpenShowForSaleHandler {
  constructor(private readonly inventory: SeatInventory) {}

  async execute(message: Envelope<ShowPublishedPayload>): Promise<'opened' | 'duplicate' | 'already-open' | 'cancelled'> {
    const { showId, seats, priceTiers } = message.payload;
    const forSale = seatsForSale(showId, seats);
    // A published map that breaks our rules is a poison message: fail so it is dead-lettered.
    if (!forSale.ok) throw new Error(forSale.error.message);
    return this.inventory.openShow(message, showId, priceTiers, forSale.value);
  }
}
