import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per ticketed order: a second event for the same order finds it and issues nothing. */
@Entity('ticketed_orders')
export class TicketedOrderRecord {
  @PrimaryColumn('uuid', { name: 'show_id' }) showId!: string;
  @PrimaryColumn('uuid', { name: 'order_id' }) orderId!: string;
  @Column('text', { name: 'customer_id' }) customerId!: string;
  @Column('int', { name: 'ticket_count' }) ticketCount!: number;
  @Column('uuid', { name: 'issued_by' }) issuedBy!: string;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt!: Date;
}
