import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PaymentStatus } from '../../domain/payment-intent/payment-intent.aggregate.js';

@Entity('payment_intents')
export class PaymentIntentRecord {
  @PrimaryColumn('uuid', { name: 'order_id' }) orderId!: string;
  @Column('uuid', { name: 'payment_id', nullable: true }) paymentId!: string | null;
  @Column('text', { name: 'customer_id', nullable: true }) customerId!: string | null;
  /** bigint: the driver hands it over as a string. */
  @Column('bigint', { name: 'amount_minor', nullable: true }) amountMinor!: string | null;
  @Column('text', { nullable: true }) currency!: string | null;
  @Column('text') status!: PaymentStatus;
  @Column('text', { name: 'decline_reason', nullable: true }) declineReason!: string | null;
  @Column('int') version!: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
