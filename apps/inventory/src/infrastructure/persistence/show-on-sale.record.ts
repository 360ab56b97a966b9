import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('shows_on_sale')
export class ShowOnSaleRecord {
  @PrimaryColumn('uuid', { name: 'show_id' }) showId!: string;
  @Column('int', { name: 'seat_count' }) seatCount!: number;
  @Column('uuid', { name: 'opened_by' }) openedBy!: string;
  @Column('timestamptz', { name: 'opened_at' }) openedAt!: Date;
}
