import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SeatReplyV1, type Envelope, type SeatReply } from '@boxoffice/contracts';
import { causedBy, messageFor, processOnce, stageMessage, type CausalContext } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { OutboxRelays, SERVICE_IDENTITY, type ServiceIdentity } from '@boxoffice/platform';
import { SeatInventory, type ShowSeatsTransaction } from '../../application/ports/seat-inventory.port.js';
import { availabilityOf, type Availability, type SaleStatus } from '../../domain/seat/availability.js';
import type { PriceTier } from '../../domain/seat/price-list.js';
import type { LockedSeat, Seat, SeatStatus } from '../../domain/seat/seat.js';

const CONSUMER = 'inventory';

interface LockedSeatRow {
  seat_id: string;
  price_tier: string;
  status: SeatStatus;
  order_id: string | null;
}

/** Seats live on the shard that the show id's bucket maps to. */
@Injectable()
export class PostgresSeatInventory extends SeatInventory {
  constructor(
    private readonly router: ShardRouter,
    private readonly relays: OutboxRelays,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {
    super();
  }

  async openShow(message: Envelope, showId: string, priceTiers: PriceTier[], seats: Seat[]): Promise<'opened' | 'duplicate' | 'already-open' | 'cancelled'> {
    let outcome: 'opened' | 'already-open' | 'cancelled' = 'opened';
    const inbox = await processOnce(this.router.writerForKey(showId), CONSUMER, message, async (manager) => {
      const cancelled: unknown[] = await manager.query(`SELECT 1 FROM cancelled_shows WHERE show_id = $1`, [showId]);
      if (cancelled.length > 0) {
        outcome = 'cancelled';
        return;
      }
      const opened: unknown[] = await manager.query(
        `INSERT INTO shows_on_sale (show_id, seat_count, opened_by, price_tiers) VALUES ($1, $2, $3, $4)
         ON CONFLICT (show_id) DO NOTHING RETURNING show_id`,
        [showId, seats.length, message.messageId, JSON.stringify(priceTiers)],
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

  async stopSales(message: Envelope, showId: string, callOff: (seats: ShowSeatsTransaction) => Promise<void>): Promise<'stopped' | 'duplicate'> {
    let replied = false;
    const writer = this.router.writerForKey(showId);
    const outcome = await processOnce(writer, CONSUMER, message, async (manager) => {
      // The exclusive lock waits for every confirm that read the show as still selling (they share it), and holds
      // off the next ones until the cancellation is visible to them.
      await manager.query(`SELECT 1 FROM shows_on_sale WHERE show_id = $1 FOR UPDATE`, [showId]);
      await manager.query(`INSERT INTO cancelled_shows (show_id, cancelled_by) VALUES ($1, $2) ON CONFLICT (show_id) DO NOTHING`, [showId, message.messageId]);
      await callOff(
        new PostgresShowSeats(manager, showId, async (reply) => {
          await this.stageReply(manager, reply, causedBy(message));
          replied = true;
        }),
      );
    });
    if (replied) this.relays.wake(writer.shard);
    return outcome === 'duplicate' ? 'duplicate' : 'stopped';
  }

  async handleOnce(showId: string, message: Envelope, work: (seats: ShowSeatsTransaction) => Promise<void>): Promise<'processed' | 'duplicate'> {
    let replied = false;
    const writer = this.router.writerForKey(showId);
    const outcome = await processOnce(writer, CONSUMER, message, async (manager) => {
      await work(
        new PostgresShowSeats(manager, showId, async (reply) => {
          await this.stageReply(manager, reply, causedBy(message));
          replied = true;
        }),
      );
    });
    if (replied) this.relays.wake(writer.shard);
    return outcome;
  }

  async releaseExpiredHolds(shard: number, limit: number): Promise<number> {
    const released = await this.router.writerForShard(shard).transaction(async (manager) => {
      // SKIP LOCKED: replicas sweep side by side without waiting on each other or on live holds being confirmed.
      // An UPDATE answers [rows, affected count].
      const [rows]: [{ show_id: string; seat_id: string; order_id: string }[], number] = await manager.query(
        `WITH expired AS (
           SELECT show_id, seat_id, order_id FROM seats
           WHERE status = 'held' AND held_until < now()
           ORDER BY held_until LIMIT $1 FOR UPDATE SKIP LOCKED)
         UPDATE seats s SET status = 'free', order_id = NULL, held_until = NULL, version = s.version + 1
         FROM expired e WHERE s.show_id = e.show_id AND s.seat_id = e.seat_id
         RETURNING e.show_id, e.seat_id, e.order_id`,
        [limit],
      );
      const byOrder = new Map<string, { showId: string; seatIds: string[] }>();
      for (const row of rows) {
        const entry = byOrder.get(row.order_id) ?? { showId: row.show_id, seatIds: [] };
        entry.seatIds.push(row.seat_id);
        byOrder.set(row.order_id, entry);
      }
      for (const [orderId, { showId, seatIds }] of byOrder) {
        await this.stageReply(manager, { outcome: 'released', orderId, showId, seatIds, expired: true }, { correlationId: orderId, causationId: null });
      }
      return rows.length;
    });
    if (released > 0) this.relays.wake(shard);
    return released;
  }

  shardCount(): number {
    return this.router.shardCount();
  }

  async availability(showId: string): Promise<Availability | undefined> {
    const counts: { section: string; status: SeatStatus; count: string }[] = await this.router
      .forKey(showId)
      .query(`SELECT section, status, count(*) AS count FROM seats WHERE show_id = $1 GROUP BY section, status`, [showId]);
    if (counts.length === 0) return undefined;
    return availabilityOf(showId, counts.map((c) => ({ ...c, count: Number(c.count) })), await this.saleStatus(showId));
  }

  async seats(showId: string): Promise<{ status: SaleStatus; seats: Seat[] } | undefined> {
    const rows: { seat_id: string; section: string; row_label: string; seat_number: number; price_tier: string; status: SeatStatus }[] = await this.router
      .forKey(showId)
      .query(
        `SELECT seat_id, section, row_label, seat_number, price_tier, status FROM seats WHERE show_id = $1
         ORDER BY section, length(row_label), row_label, seat_number`,
        [showId],
      );
    if (rows.length === 0) return undefined;
    return {
      status: await this.saleStatus(showId),
      seats: rows.map((r) => ({ showId, seatId: r.seat_id, section: r.section, row: r.row_label, number: r.seat_number, priceTier: r.price_tier, status: r.status })),
    };
  }

  private async saleStatus(showId: string): Promise<SaleStatus> {
    const cancelled: unknown[] = await this.router.forKey(showId).query(`SELECT 1 FROM cancelled_shows WHERE show_id = $1`, [showId]);
    return cancelled.length > 0 ? 'cancelled' : 'on-sale';
  }

  private async stageReply(manager: EntityManager, reply: SeatReply, causal: CausalContext): Promise<void> {
    // Replies are keyed by order id: the saga reads one order's answers in order.
    await stageMessage(manager, SeatReplyV1, messageFor(SeatReplyV1, reply, { id: reply.orderId, version: 0 }, this.identity, causal));
  }
}

class PostgresShowSeats implements ShowSeatsTransaction {
  constructor(
    private readonly manager: EntityManager,
    private readonly showId: string,
    readonly reply: (payload: SeatReply) => Promise<void>,
  ) {}

  async priceTiers(): Promise<PriceTier[] | undefined> {
    // A cancelled show is not on sale any more.
    const [show]: { price_tiers: PriceTier[] }[] = await this.manager.query(
      `SELECT price_tiers FROM shows_on_sale s WHERE show_id = $1 AND NOT EXISTS (SELECT 1 FROM cancelled_shows c WHERE c.show_id = s.show_id)`,
      [this.showId],
    );
    return show?.price_tiers;
  }

  async lockSeats(seatIds: string[]): Promise<LockedSeat[]> {
    return this.lock(`seat_id = ANY($2::text[])`, [this.showId, seatIds]);
  }

  async lockSeatsOfOrder(orderId: string): Promise<LockedSeat[]> {
    return this.lock(`order_id = $2`, [this.showId, orderId]);
  }

  async lockSoldSeats(): Promise<LockedSeat[]> {
    return this.lock(`status = 'sold'`, [this.showId]);
  }

  async isCancelled(): Promise<boolean> {
    await this.manager.query(`SELECT 1 FROM shows_on_sale WHERE show_id = $1 FOR SHARE`, [this.showId]);
    const cancelled: unknown[] = await this.manager.query(`SELECT 1 FROM cancelled_shows WHERE show_id = $1`, [this.showId]);
    return cancelled.length > 0;
  }

  async markHeld(seatIds: string[], orderId: string, holdSeconds: number): Promise<void> {
    await this.update(seatIds, `status = 'held', order_id = $3, held_until = now() + make_interval(secs => $4)`, [orderId, holdSeconds]);
  }

  async markSold(seatIds: string[]): Promise<void> {
    await this.update(seatIds, `status = 'sold', held_until = NULL`, []);
  }

  async markFree(seatIds: string[]): Promise<void> {
    await this.update(seatIds, `status = 'free', order_id = NULL, held_until = NULL`, []);
  }

  private async lock(condition: string, params: unknown[]): Promise<LockedSeat[]> {
    // Always lock in seat order: two transactions locking overlapping seats then queue instead of deadlocking.
    const rows: LockedSeatRow[] = await this.manager.query(
      `SELECT seat_id, price_tier, status, order_id FROM seats WHERE show_id = $1 AND ${condition} ORDER BY seat_id FOR UPDATE`,
      params,
    );
    return rows.map((r) => ({ seatId: r.seat_id, priceTier: r.price_tier, status: r.status, orderId: r.order_id }));
  }

  private async update(seatIds: string[], assignments: string, params: unknown[]): Promise<void> {
    if (seatIds.length === 0) return;
    await this.manager.query(`UPDATE seats SET ${assignments}, version = version + 1 WHERE show_id = $1 AND seat_id = ANY($2::text[])`, [
      this.showId,
      seatIds,
      ...params,
    ]);
  }
}
