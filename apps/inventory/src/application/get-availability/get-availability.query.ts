import { Injectable } from '@nestjs/common';
import type { Availability } from '../../domain/seat/availability.js';
import { SeatInventory } from '../ports/seat-inventory.port.js';

@Injectable()
export class GetAvailabilityQuery {
  constructor(private readonly inventory: SeatInventory) {}

  execute(showId: string): Promise<Availability | undefined> {
    return this.inventory.availability(showId);
  }
}
