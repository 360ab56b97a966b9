export type SeatStatus = 'free' | 'held' | 'sold';

/** One chair of one show, as inventory sells it. */
export interface Seat {
  showId: string;
  seatId: string;
  section: string;
  row: string;
  number: number;
  priceTier: string;
  status: SeatStatus;
}

/** A seat read under a row lock, with whoever holds or bought it. */
export interface LockedSeat {
  seatId: string;
  priceTier: string;
  status: SeatStatus;
  orderId: string | null;
}
