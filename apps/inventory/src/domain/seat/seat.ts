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
