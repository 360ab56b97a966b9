import type { Envelope, SeatReply } from '@boxoffice/contracts';
import type { Availability, SaleStatus } from '../../domain/seat/availability.js';
import type { PriceTier } from '../../domain/seat/price-list.js';
import type { LockedSeat, Seat } from '../../domain/seat/seat.js';

/** One show's seats inside one transaction on the show's shard. */
export interface ShowSeatsTransaction {
  /** The show's price tiers, or undefined when the show is not on sale here. */
  priceTiers(): Promise<PriceTier[] | undefined>;
  /** Locks the requested seats (in a fixed order, so concurrent lockers cannot deadlock). */
  lockSeats(seatIds: string[]): Promise<LockedSeat[]>;
  lockSeatsOfOrder(orderId: string): Promise<LockedSeat[]>;
  /** Locks every sold seat of the show. */
  lockSoldSeats(): Promise<LockedSeat[]>;
  /**
   * Whether the show is cancelled, read under a shared lock on the show: a
   * sale decided on `false` commits before a cancellation can look for sales.
   */
  isCancelled(): Promise<boolean>;
  markHeld(seatIds: string[], orderId: string, holdSeconds: number): Promise<void>;
  markSold(seatIds: string[]): Promise<void>;
  markFree(seatIds: string[]): Promise<void>;
  /** Stages the answer to the command in this transaction's outbox. */
  reply(payload: SeatReply): Promise<void>;
}

export abstract class SeatInventory {
  /**
   * Puts a show's seats on sale, once per message: a redelivered message, or
   * a second message for a show already on sale, changes nothing.
   */
  abstract openShow(message: Envelope, showId: string, priceTiers: PriceTier[], seats: Seat[]): Promise<'opened' | 'duplicate' | 'already-open' | 'cancelled'>;

  /**
   * Stops selling a show for good, once per message, and runs `callOff` in
   * the same transaction, holding the show's lock: no sale can commit between
   * the two, so the sales it finds are all there will ever be.
   */
  abstract stopSales(message: Envelope, showId: string, callOff: (seats: ShowSeatsTransaction) => Promise<void>): Promise<'stopped' | 'duplicate'>;

  /**
   * Runs `work` once per message, in one transaction on the show's shard with
   * the inbox row and the staged replies; a redelivered message is skipped.
   */
  abstract handleOnce(showId: string, message: Envelope, work: (seats: ShowSeatsTransaction) => Promise<void>): Promise<'processed' | 'duplicate'>;

  /** Frees holds whose time is up on one shard, telling each order; returns how many seats were freed. */
  abstract releaseExpiredHolds(shard: number, limit: number): Promise<number>;

  abstract shardCount(): number;

  abstract availability(showId: string): Promise<Availability | undefined>;

  /** Every seat of the show with its status, in section, row and number order, and whether the show still sells; undefined when not on sale. */
  abstract seats(showId: string): Promise<{ status: SaleStatus; seats: Seat[] } | undefined>;
}
