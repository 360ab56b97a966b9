import type { Envelope } from '@boxoffice/contracts';
import type { Availability } from '../../domain/seat/availability.js';
import type { Seat } from '../../domain/seat/seat.js';

export abstract class SeatInventory {
  /**
   * Puts a show's seats on sale, once per message: a redelivered message, or
   * a second message for a show already on sale, changes nothing.
   */
  abstract openShow(message: Envelope, showId: string, seats: Seat[]): Promise<'opened' | 'duplicate' | 'already-open'>;
  abstract availability(showId: string): Promise<Availability | undefined>;
}
