import { Injectable } from '@nestjs/common';
import type { Seat } from '../../domain/seat/seat.js';
import { SeatInventory } from '../ports/seat-inventory.port.js';

@Injectable()
export class GetSeatMapQuery {
  constructor(private readonly inventory: SeatInventory) {}

  execute(showId: string): Promise<Seat[] | undefined> {
    return this.inventory.seats(showId);
  }
}
