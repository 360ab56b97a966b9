import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ShowCancelledV1, ShowPublishedV1, type EventContract } from '@boxoffice/contracts';
import { envelopeFor, stageMessage, type CausalContext } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { OutboxRelays, SERVICE_IDENTITY, type ServiceIdentity } from '@boxoffice/platform';
import { ShowRepository } from '../../application/ports/show.repository.port.js';
import { SHOW_CANCELLED, SHOW_PUBLISHED, Show } from '../../domain/show/show.aggregate.js';
import { ShowRecord } from './show.record.js';

/** Which contract each domain event leaves as. */
const CONTRACTS: Record<string, EventContract> = { [SHOW_PUBLISHED]: ShowPublishedV1, [SHOW_CANCELLED]: ShowCancelledV1 };

@Injectable()
export class TypeOrmShowRepository extends ShowRepository {
  constructor(
    private readonly router: ShardRouter,
    private readonly relays: OutboxRelays,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {
    super();
  }

  nextId(): string {
    return uuidv7();
  }

  async findById(id: string): Promise<Show | undefined> {
    const record = await this.router.single().getRepository(ShowRecord).findOneBy({ id });
    return record ? toShow(record) : undefined;
  }

  async readById(id: string): Promise<Show | undefined> {
    const record = await this.router.reader().read((replica) => replica.getRepository(ShowRecord).findOneBy({ id }));
    return record ? toShow(record) : undefined;
  }

  async list(status?: Show['status']): Promise<Show[]> {
    const records = await this.router
      .reader()
      .read((replica) => replica.getRepository(ShowRecord).find({ where: status ? { status } : {}, order: { startsAt: 'ASC' }, take: 500 }));
    return records.map(toShow);
  }

  async add(show: Show, causal: CausalContext): Promise<void> {
    await this.write(show, causal, async (manager, values) => {
      await manager.getRepository(ShowRecord).insert(values);
      return true;
    });
  }

  async update(show: Show, causal: CausalContext): Promise<boolean> {
    return this.write(show, causal, async (manager, values) => {
      // Optimistic: only the version the show was loaded with may be replaced (AggregateRoot).
      const result = await manager.getRepository(ShowRecord).update({ id: show.id, version: show.expectedVersion }, values);
      return result.affected === 1;
    });
  }

  private async write(show: Show, causal: CausalContext, persist: (manager: EntityManager, values: ShowRecord) => Promise<boolean>): Promise<boolean> {
    const events = show.pullEvents();
    const values: ShowRecord = {
      id: show.id,
      version: show.version,
      venueId: show.venueId,
      title: show.title,
      startsAt: new Date(show.startsAt),
      priceTiers: [...show.priceTiers],
      status: show.status,
    };
    const written = await this.router.writer().transaction(async (manager) => {
      if (!(await persist(manager, values))) return false;
      for (const event of events) {
        const contract = CONTRACTS[event.type];
        if (!contract) throw new Error(`no contract for domain event ${event.type}`);
        await stageMessage(manager, contract, envelopeFor(contract, event, this.identity, causal));
      }
      return true;
    });
    if (written) show.markStored();
    if (written && events.length > 0) this.relays.wake();
    return written;
  }
}

function toShow(record: ShowRecord): Show {
  return Show.restore({
    id: record.id,
    version: record.version,
    venueId: record.venueId,
    title: record.title,
    startsAt: record.startsAt.toISOString(),
    priceTiers: record.priceTiers,
    status: record.status,
  });
}
