import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Channel, DeliveryStatus, NoticeEvent } from '../../domain/delivery/delivery.js';

@Entity('deliveries')
export class DeliveryRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'order_id' }) orderId!: string;
  @Column('text') event!: NoticeEvent;
  @Column('text') channel!: Channel;
  @Column('text') target!: string;
  @Column('jsonb') payload!: unknown;
  @Column('text') status!: DeliveryStatus;
  @Column('int') attempts!: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt!: Date;
  @Column('text', { name: 'last_error', nullable: true }) lastError!: string | null;
  @Column('text', { name: 'correlation_id' }) correlationId!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
}
