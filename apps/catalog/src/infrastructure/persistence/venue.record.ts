import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SectionLayout } from '../../domain/venue/seat-map.value-object.js';

@Entity('venues')
export class VenueRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('int') version!: number;
  @Column('text') name!: string;
  @Column('jsonb') sections!: SectionLayout[];
}
