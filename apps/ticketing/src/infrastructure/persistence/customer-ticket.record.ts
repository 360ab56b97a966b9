import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('customer_tickets')
export class CustomerTicketRecord {
  @PrimaryColumn('text', { name: 'customer_id' }) customerId!: string;
  @PrimaryColumn('uuid', { name: 'ticket_id' }) ticketId!: string;
  @Column('uuid', { name: 'order_id' }) orderId!: string;
  @Column('uuid', { name: 'show_id' }) showId!: string;
  @Column('text', { name: 'seat_id' }) seatId!: string;
  @Column('text') code!: string;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
}
