import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TicketStatus } from '../../domain/ticket/ticket.js';

@Entity('tickets')
export class TicketRecord {
  @PrimaryColumn('uuid', { name: 'show_id' }) showId!: string;
  @PrimaryColumn('uuid', { name: 'ticket_id' }) ticketId!: string;
  @Column('uuid', { name: 'order_id' }) orderId!: string;
  @Column('text', { name: 'seat_id' }) seatId!: string;
  @Column('text', { name: 'customer_id' }) customerId!: string;
  // bigint comes back as a string from pg; amounts fit a JS number (contract: int).
  @Column('bigint', { name: 'price_minor', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) priceMinor!: number;
  @Column('text') currency!: string;
  @Column('text') code!: string;
  @Column('text') status!: TicketStatus;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt!: Date;
}
