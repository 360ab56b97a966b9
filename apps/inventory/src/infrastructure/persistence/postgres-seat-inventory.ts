import { Injectable } from '@nestjs/common';
import type { Envelope } from '@boxoffice/contracts';
import { processOnce } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { SeatInventory } from '../../application/ports/seat-inventory.port.js';
import { availabilityOf, type Availability } from '../../domain/seat/availability.js';
import type { Seat, SeatStatus } from '../../domain/seat/seat.js';

const CONSUMER = 'inventory';

/** Seats live on the shard that the show id's bucket maps to. */
@Injectable()
export class PostgresSeatInventory extends SeatInventory {
  constructor(private readonly router: ShardRouter) {
    super();
  }

  async openShow(message: Envelope, showId: string, seats: Seat[]): Promise<'opened' | 'duplicate' | 'already-open'> {
    let outcome: 'opened' | 'already-open' = 'opened';
    const inbox = await processOnce(this.router.forKey(showId), CONSUMER, message, async (manager) => {
      const opened: unknown[] = await manager.query(
        `INSERT INTO shows_on_sale (show_id, seat_count, opened_by) VALUES ($1, $2, $3)
         ON CONFLICT (show_id) DO NOTHING RETURNING show_id`,
        [showId, seats.length, message.messageId],
      );
      if (opened.length === 0) {
        outcome = 'already-open';
        return;
      }
      // One statement for the whole map: unnest() turns parallel arrays into rows.
      await manager.query(
        `INSERT INTO seats (show_id, seat_id, section, row_label, seat_number, price_tier)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[])`,
        [
          showId,
          seats.map((s) => s.seatId),
          seats.map((s) => s.section),
          seats.map((s) => s.row),
          seats.map((s) => s.number),
          seats.map((s) => s.priceTier),
        ],
      );
    });
    return inbox === 'duplicate' ? 'duplicate' : outcome;
  }

  async availability(showId: string): Promise<Availability | undefined> {
    const dataSource = this.router.forKey(showId);
    const counts: { section: string; status: SeatStatus; count: string }[] = await dataSource.query(
      `SELECT section, status, count(*) AS count FROM seats WHERE show_id = $1 GROUP BY section, status`,
      [showId],
    );
    if (counts.length === 0) return undefined;
    return availabilityOf(showId, counts.map((c) => ({ ...c, count: Number(c.count) })));
  }
}
