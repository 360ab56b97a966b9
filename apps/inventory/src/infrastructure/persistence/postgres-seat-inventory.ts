import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SeatReplyV1, type SeatReply } from '@boxoffice/contracts';
import { causedBy, messageFor, processOnce, stageMessage, type CausalContext, type ConsumedMessage } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { OutboxRelays, SERVICE_IDENTITY, type ServiceIdentity } from '@boxoffice/platform';
import { SeatInventory, type ShowSeatsTransaction } from '../../application/ports/seat-inventory.port.js';
import { availabilityOf, type Availability, type SaleStatus } from '../../domain/seat/availability.js';
import type { PriceTier } from '../../domain/seat/price-list.js';
import type { Seat, SeatState, SeatStatus } from '../../domain/seat/seat.js';
import type { ShowSeatsCommand, ShowSeatsEvent, ShowSeatsState } from '../../domain/seat/show-seats.decider.js';

const CONSUMER = 'inventory';

interface SeatRow {
  show_id: string;
  seat_id: string;
  price_tier: string;
  status: SeatStatus;
  order_id: string | null;
  held_until: Date | null;
}

/**
 * Seats live on the shard that the show id's bucket maps to. This adapter
 * reads the state a command is decided on and stores the decision
 * (domain/seat/show-seats.decider.ts); it decides nothing itself.
 *
 * How the database guards the decision: the rows a command is decided on are
 * locked when read (`FOR UPDATE`, in seat order, so racing orders queue
 * instead of deadlocking), so no other transaction can change them before
 * this one ends; and every write repeats the precondition of its event in
 * its WHERE clause (a seat is held only if still free, sold only if still
 * held by that order, ...) and fails the transaction unless it changed every
 * row it names. With the locks that check never fails; it is there so that
 * a read that forgot its lock, or a hand-written UPDATE, cannot sell a seat
 * twice, and for the two rows no lock can cover before they exist (a show's
 * first publication and its cancellation), where it turns a lost race into a
 * retry that decides again on fresh state. A check constraint on `seats` ties
 * status to owner besides.
 */
@Injectable()
export class PostgresSeatInventory extends SeatInventory {
  constructor(
    private readonly router: ShardRouter,
    private readonly relays: OutboxRelays,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {
    super();
  }

  async handleOnce(showId: string, message: ConsumedMessage, work: (seats: ShowSeatsTransaction) => Promise<void>): Promise<'processed' | 'duplicate'> {
    let replied = false;
    const writer = this.router.writerForKey(showId);
    const outcome = await processOnce(writer, CONSUMER, message, async (manager) => {
      await work(
        new PostgresShowSeats(manager, showId, message.messageId, [], async (reply) => {
          await this.stageReply(manager, reply, causedBy(message));
          replied = true;
        }),
      );
    });
    if (replied) this.relays.wake(writer.shard);
    return outcome;
  }

  async sweepExpiredHolds(limit: number, work: (seats: ShowSeatsTransaction) => Promise<void>): Promise<void> {
    for (let shard = 0; shard < this.router.shardCount(); shard++) {
      let replied = false;
      await this.router.writerForShard(shard).transaction(async (manager) => {
        // SKIP LOCKED: replicas sweep side by side without waiting on each other or on live holds being confirmed.
        const rows: SeatRow[] = await manager.query(
          `SELECT show_id, seat_id, price_tier, status, order_id, held_until FROM seats
           WHERE status = 'held' AND held_until < now()
           ORDER BY held_until LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [limit],
        );
        const byShow = new Map<string, SeatState[]>();
        for (const row of rows) byShow.set(row.show_id, [...(byShow.get(row.show_id) ?? []), seatState(row)]);
        for (const [showId, expired] of byShow) {
          await work(
            new PostgresShowSeats(manager, showId, null, expired, async (reply) => {
              // Nothing caused these answers but the clock: each starts from its order's flow.
              await this.stageReply(manager, reply, { correlationId: reply.orderId, causationId: null });
              replied = true;
            }),
          );
        }
      });
      if (replied) this.relays.wake(shard);
    }
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

/** The show's facts as stored: a row in shows_on_sale once published, in cancelled_shows once cancelled. */
interface ShowFacts {
  published: boolean;
  cancelled: boolean;
  priceTiers: PriceTier[];
  now: Date;
}

class PostgresShowSeats implements ShowSeatsTransaction {
  constructor(
    private readonly manager: EntityManager,
    private readonly showId: string,
    /** The message being handled (recorded as who opened or cancelled the show); null in the hold sweep. */
    private readonly messageId: string | null,
    /** The holds the sweep found past their end on this show. */
    private readonly expiredHolds: SeatState[],
    readonly reply: (payload: SeatReply) => Promise<void>,
  ) {}

  async load(command: ShowSeatsCommand): Promise<ShowSeatsState> {
    switch (command.type) {
      case 'open-show':
        return this.state(await this.readShow(), []);
      case 'hold-seats':
        return this.state(await this.readShow(), await this.lockSeats(`seat_id = ANY($2::text[])`, [this.showId, [...new Set(command.seatIds)]]));
      case 'sell-seats':
        // The show first, shared, then the seats: the order a cancellation takes them in (exclusively, below). A sale
        // decided on "not cancelled" then commits before the cancellation looks for sales, or waits and sees it.
        return this.state(await this.readShow('FOR SHARE'), await this.lockSeatsOfOrder(command.orderId));
      case 'release-seats':
      case 'put-back-on-sale':
        return this.state(await this.readShow(), await this.lockSeatsOfOrder(command.orderId));
      case 'expire-holds':
        return this.state(await this.readShow(), this.expiredHolds);
      case 'stop-sales':
        // Waits for every confirm that read the show as still selling (they share the lock), and holds off the next
        // ones until the cancellation is visible to them.
        return this.state(await this.readShow('FOR UPDATE'), await this.lockSeats(`status = 'sold'`, [this.showId]));
    }
  }

  async store(events: readonly ShowSeatsEvent[]): Promise<void> {
    for (const event of events) {
      switch (event.type) {
        case 'show-opened':
          await this.insertShow(event.seats, event.priceTiers);
          break;
        case 'seats-held':
          await this.update(event, `status = 'held', order_id = $3, held_until = $4`, `status = 'free'`, [event.orderId, event.until]);
          break;
        case 'seats-sold':
          await this.update(event, `status = 'sold', held_until = NULL`, `status = 'held' AND order_id = $3`, [event.orderId]);
          break;
        case 'hold-released':
          await this.update(event, FREE, `status = 'held' AND order_id = $3`, [event.orderId]);
          break;
        case 'hold-expired':
          // now() is the transaction's start, the clock the decision read.
          await this.update(event, FREE, `status = 'held' AND order_id = $3 AND held_until < now()`, [event.orderId]);
          break;
        case 'seats-put-back-on-sale':
          await this.update(event, FREE, `status = 'sold' AND order_id = $3`, [event.orderId]);
          break;
        case 'sales-stopped':
          await this.insertCancellation();
          break;
      }
    }
  }

  /**
   * One statement for the show's facts. With a lock, two: the lock first, then
   * the cancellation in a statement of its own, whose snapshot is taken after
   * the lock was granted and so sees a cancellation that committed meanwhile.
   */
  private async readShow(lock?: 'FOR SHARE' | 'FOR UPDATE'): Promise<ShowFacts> {
    if (!lock) {
      const [row]: { price_tiers: PriceTier[] | null; cancelled: boolean; now: Date }[] = await this.manager.query(
        `SELECT (SELECT price_tiers FROM shows_on_sale WHERE show_id = $1) AS price_tiers,
                EXISTS (SELECT 1 FROM cancelled_shows WHERE show_id = $1) AS cancelled, now() AS now`,
        [this.showId],
      );
      return { published: row.price_tiers !== null, cancelled: row.cancelled, priceTiers: row.price_tiers ?? [], now: row.now };
    }
    const [show]: { price_tiers: PriceTier[] }[] = await this.manager.query(`SELECT price_tiers FROM shows_on_sale WHERE show_id = $1 ${lock}`, [this.showId]);
    const [row]: { cancelled: boolean; now: Date }[] = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM cancelled_shows WHERE show_id = $1) AS cancelled, now() AS now`,
      [this.showId],
    );
    return { published: show !== undefined, cancelled: row.cancelled, priceTiers: show?.price_tiers ?? [], now: row.now };
  }

  private state(show: ShowFacts, seats: SeatState[]): ShowSeatsState {
    return { showId: this.showId, ...show, seats };
  }

  private lockSeatsOfOrder(orderId: string): Promise<SeatState[]> {
    return this.lockSeats(`order_id = $2`, [this.showId, orderId]);
  }

  private async lockSeats(condition: string, params: unknown[]): Promise<SeatState[]> {
    // Always lock in seat order: two transactions locking overlapping seats then queue instead of deadlocking.
    const rows: SeatRow[] = await this.manager.query(
      `SELECT show_id, seat_id, price_tier, status, order_id, held_until FROM seats WHERE show_id = $1 AND ${condition} ORDER BY seat_id FOR UPDATE`,
      params,
    );
    return rows.map(seatState);
  }

  /** Writes one seat event: only rows still as the event requires (`guard`) change, and all of them must. */
  private async update(event: ShowSeatsEvent & { seatIds: readonly string[] }, assignments: string, guard: string, params: unknown[]): Promise<void> {
    // An UPDATE answers [rows, affected count].
    const [, changed]: [unknown[], number] = await this.manager.query(
      `UPDATE seats SET ${assignments} WHERE show_id = $1 AND seat_id = ANY($2::text[]) AND ${guard}`,
      [this.showId, event.seatIds, ...params],
    );
    if (changed !== event.seatIds.length) throw new SeatsChangedError(`${event.type}: ${event.seatIds.length} seats of show ${this.showId} decided on, ${changed} still as read`);
  }

  private async insertShow(seats: readonly Seat[], priceTiers: readonly PriceTier[]): Promise<void> {
    const opened: unknown[] = await this.manager.query(
      `INSERT INTO shows_on_sale (show_id, seat_count, opened_by, price_tiers) VALUES ($1, $2, $3, $4)
       ON CONFLICT (show_id) DO NOTHING RETURNING show_id`,
      [this.showId, seats.length, this.messageId, JSON.stringify(priceTiers)],
    );
    // A publication of the same show, handled concurrently, got there first: decide again on what it wrote.
    if (opened.length === 0) throw new SeatsChangedError(`show-opened: show ${this.showId} was opened meanwhile`);
    // One statement for the whole map: unnest() turns parallel arrays into rows.
    await this.manager.query(
      `INSERT INTO seats (show_id, seat_id, section, row_label, seat_number, price_tier)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[])`,
      [
        this.showId,
        seats.map((s) => s.seatId),
        seats.map((s) => s.section),
        seats.map((s) => s.row),
        seats.map((s) => s.number),
        seats.map((s) => s.priceTier),
      ],
    );
  }

  private async insertCancellation(): Promise<void> {
    const cancelled: unknown[] = await this.manager.query(
      `INSERT INTO cancelled_shows (show_id, cancelled_by) VALUES ($1, $2) ON CONFLICT (show_id) DO NOTHING RETURNING show_id`,
      [this.showId, this.messageId],
    );
    // Only when the show was not published yet (no row to lock): another cancellation got there first.
    if (cancelled.length === 0) throw new SeatsChangedError(`sales-stopped: show ${this.showId} was cancelled meanwhile`);
  }
}

const FREE = `status = 'free', order_id = NULL, held_until = NULL`;

function seatState(row: SeatRow): SeatState {
  return { seatId: row.seat_id, priceTier: row.price_tier, status: row.status, orderId: row.order_id, heldUntil: row.held_until };
}

/**
 * A decision met rows that are no longer as it read them. The transaction is
 * rolled back and the message handled again, so the command is decided anew.
 */
export class SeatsChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeatsChangedError';
  }
}
