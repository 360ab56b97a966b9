import type { Seat } from '../../../other/src/domain/seat.js';

export type BorrowedSeat = Seat;
