import type { SeatReply } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import type { Availability, SaleStatus } from '../../domain/seat/availability.js';
import type { Seat } from '../../domain/seat/seat.js';
import type { ShowSeatsCommand, ShowSeatsEvent, ShowSeatsState } from '../../domain/seat/show-seats.decider.js';

/** One show's seats inside one transaction on the show's shard: read, decide (domain), store, answer. */
export interface ShowSeatsTransaction {
  /**
   * The state `command` is decided on (the show's facts and the seats the
   * command concerns), locked so that no concurrent command can change it
   * before this transaction ends.
   */
  load(command: ShowSeatsCommand): Promise<ShowSeatsState>;
  /** Stores what was decided, in order; a change whose seats are no longer as they were read fails the transaction. */
  store(events: readonly ShowSeatsEvent[]): Promise<void>;
  /** Stages an answer in this transaction's outbox. */
  reply(payload: SeatReply): Promise<void>;
}

export abstract class SeatInventory {
  /**
   * Runs `work` once per message, in one transaction on the show's shard with
   * the inbox row and the staged answers; a redelivered message is skipped.
   */
  abstract handleOnce(showId: string, message: ConsumedMessage, work: (seats: ShowSeatsTransaction) => Promise<void>): Promise<'processed' | 'duplicate'>;

  /**
   * Looks for holds whose time is up, wherever the shows live, and runs
   * `work` for each show that has some, up to `limit` seats per look; there
   * `load({ type: 'expire-holds' })` answers the seats found. Replicas sweep
   * side by side: each takes seats the others are not working on.
   */
  abstract sweepExpiredHolds(limit: number, work: (seats: ShowSeatsTransaction) => Promise<void>): Promise<void>;

  abstract availability(showId: string): Promise<Availability | undefined>;

  /** Every seat of the show with its status, in section, row and number order, and whether the show still sells; undefined when not on sale. */
  abstract seats(showId: string): Promise<{ status: SaleStatus; seats: Seat[] } | undefined>;
}
