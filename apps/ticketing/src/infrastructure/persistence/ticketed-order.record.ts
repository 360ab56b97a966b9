import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per ticketed (or refunded) order: a second event for the same order finds it and issues nothing. */
@Entity('ticketed_orders')
export class TicketedOrderRecord {
  @PrimaryColumn('uuid', { name: 'show_id' }) showId!: string;
  @PrimaryColumn('uuid', { name: 'order_id' }) orderId!: string;
  @Column('text', { name: 'customer_id' }) customerId!: string;
  @Column('int', { name: 'ticket_count' }) ticketCount!: number;
  /** Null for an order refunded before it was ticketed: it never will be. */
  @Column('uuid', { name: 'issued_by', nullable: true }) issuedBy!: string | null;
  @Column('uuid', { name: 'refunded_by', nullable: true }) refundedBy!: string | null;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt!: Date;
}
