import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PriceTier, ShowStatus } from '../../domain/show/show.aggregate.js';

@Entity('shows')
export class ShowRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('int') version!: number;
  @Column('uuid', { name: 'venue_id' }) venueId!: string;
  @Column('text') title!: string;
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('jsonb', { name: 'price_tiers' }) priceTiers!: PriceTier[];
  @Index() @Column('text') status!: ShowStatus;
}
