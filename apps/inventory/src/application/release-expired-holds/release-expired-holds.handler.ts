import { Injectable } from '@nestjs/common';
import { SeatInventory } from '../ports/seat-inventory.port.js';

/**
 * Holds that run out (the buyer walked away, a saga got stuck) are released
 * by inventory on its own, and each order is told. "Expired" is decided by
 * the shard's database clock alone, so no two processes' clocks are compared.
 */
@Injectable()
export class ReleaseExpiredHoldsHandler {
  constructor(private readonly inventory: SeatInventory) {}

  async execute(batchSize = 500): Promise<number> {
    let released = 0;
    for (let shard = 0; shard < this.inventory.shardCount(); shard++) {
      released += await this.inventory.releaseExpiredHolds(shard, batchSize);
    }
    return released;
  }
}
