export type SeatStatus = 'free' | 'held' | 'sold';

/** One chair of one show, as the seat map shows it. */
export interface Seat {
  showId: string;
  seatId: string;
  section: string;
  row: string;
  number: number;
  priceTier: string;
  status: SeatStatus;
}

/**
 * One seat as the sale rules see it: its status, whose it is, and until when
 * a hold lasts. `free` has no owner; `held` has an order and an end;
 * `sold` has an order.
 */
export interface SeatState {
  seatId: string;
  priceTier: string;
  status: SeatStatus;
  orderId: string | null;
  /** When the hold ends, by the shard's database clock; null unless held. */
  heldUntil: Date | null;
}
