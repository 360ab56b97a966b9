import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { ShardRouter } from '@boxoffice/persistence';
import { VenueRepository } from '../../application/ports/venue.repository.port.js';
import { SeatMap } from '../../domain/venue/seat-map.value-object.js';
import { Venue } from '../../domain/venue/venue.aggregate.js';
import { VenueRecord } from './venue.record.js';

@Injectable()
export class TypeOrmVenueRepository extends VenueRepository {
  constructor(private readonly router: ShardRouter) {
    super();
  }

  nextId(): string {
    return uuidv7();
  }

  async findById(id: string): Promise<Venue | undefined> {
    const record = await this.router.single().getRepository(VenueRecord).findOneBy({ id });
    return record ? toVenue(record) : undefined;
  }

  async readById(id: string): Promise<Venue | undefined> {
    const record = await this.router.reader().read((replica) => replica.getRepository(VenueRecord).findOneBy({ id }));
    return record ? toVenue(record) : undefined;
  }

  async add(venue: Venue): Promise<void> {
    await this.router.writer().transaction((manager) =>
      manager.getRepository(VenueRecord).insert({
        id: venue.id,
        version: venue.version,
        name: venue.name,
        sections: [...venue.seatMap.sections],
      }),
    );
  }
}

function toVenue(record: VenueRecord): Venue {
  const seatMap = SeatMap.create(record.sections);
  if (!seatMap.ok) throw new Error(`stored venue ${record.id} has an invalid seat map: ${seatMap.error.message}`);
  return Venue.restore(record.id, record.version, record.name, seatMap.value);
}
