export interface Seat {
  id: string;
}
