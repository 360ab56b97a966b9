import { Injectable } from '@nestjs/common';
import type { SaleStatus } from '../../domain/seat/availability.js';
import type { Seat } from '../../domain/seat/seat.js';
import { SeatInventory } from '../ports/seat-inventory.port.js';

@Injectable()
export class GetSeatMapQuery {
  constructor(private readonly inventory: SeatInventory) {}

  execute(showId: string): Promise<{ status: SaleStatus; seats: Seat[] } | undefined> {
    return this.inventory.seats(showId);
  }
}
