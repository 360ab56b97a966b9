import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SeatStatus } from '../../domain/seat/seat.js';

@Entity('seats')
export class SeatRecord {
  @PrimaryColumn('uuid', { name: 'show_id' }) showId!: string;
  @PrimaryColumn('text', { name: 'seat_id' }) seatId!: string;
  @Column('text') section!: string;
  @Column('text', { name: 'row_label' }) row!: string;
  @Column('int', { name: 'seat_number' }) number!: number;
  @Column('text', { name: 'price_tier' }) priceTier!: string;
  @Column('text') status!: SeatStatus;
  @Column('int') version!: number;
}
