import { Injectable } from '@nestjs/common';
import { decide, type ExpireHolds } from '../../domain/seat/show-seats.decider.js';
import { SeatInventory } from '../ports/seat-inventory.port.js';

const EXPIRE: ExpireHolds = { type: 'expire-holds' };

/**
 * Holds that run out (the buyer walked away, a saga got stuck) are released
 * by inventory on its own, and each order is told. "Expired" is decided by
 * the shard's database clock alone, so no two processes' clocks are compared.
 */
@Injectable()
export class ReleaseExpiredHoldsHandler {
  constructor(private readonly inventory: SeatInventory) {}

  /** One sweep; returns how many seats it freed. */
  async execute(batchSize = 500): Promise<number> {
    let released = 0;
    await this.inventory.sweepExpiredHolds(batchSize, async (seats) => {
      const state = await seats.load(EXPIRE);
      const { events, outcome } = decide(EXPIRE, state);
      await seats.store(events);
      for (const { orderId, seatIds } of outcome.holds) {
        await seats.reply({ outcome: 'released', orderId, showId: state.showId, seatIds, expired: true, showCancelled: outcome.showCancelled });
        released += seatIds.length;
      }
    });
    return released;
  }
}
