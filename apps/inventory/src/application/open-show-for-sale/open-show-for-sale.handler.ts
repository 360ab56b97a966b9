import { Injectable } from '@nestjs/common';
import type { ShowPublishedPayload } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import { decide, type OpenShow } from '../../domain/seat/show-seats.decider.js';
import { SeatInventory } from '../ports/seat-inventory.port.js';

/**
 * Reacts to catalog.show-published: the show's seats go on sale, once. A
 * second publication of the same show changes nothing, and a show whose
 * cancellation arrived first stays off sale.
 */
@Injectable()
export class OpenShowForSaleHandler {
  constructor(private readonly inventory: SeatInventory) {}

  async execute(message: ConsumedMessage<ShowPublishedPayload>): Promise<'opened' | 'duplicate' | 'already-open' | 'cancelled'> {
    const { showId, seats: published, priceTiers } = message.payload;
    const command: OpenShow = { type: 'open-show', seats: published, priceTiers };
    let outcome: 'opened' | 'already-open' | 'cancelled' = 'opened';
    const inbox = await this.inventory.handleOnce(showId, message, async (seats) => {
      const decision = decide(command, await seats.load(command));
      // A published map that breaks our rules is a poison message: fail so it is dead-lettered.
      if (decision.outcome.kind === 'refused' && decision.outcome.reason === 'invalid-seat-map') throw new Error(decision.outcome.message);
      await seats.store(decision.events);
      outcome = decision.outcome.kind === 'opened' ? 'opened' : decision.outcome.reason === 'show-cancelled' ? 'cancelled' : 'already-open';
    });
    return inbox === 'duplicate' ? 'duplicate' : outcome;
  }
}
