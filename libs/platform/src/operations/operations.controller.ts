import { Controller, Get, Inject } from '@nestjs/common';
import type { ContextDatabasesView } from '@boxoffice/contracts';
import { ShardRouter } from '@boxoffice/persistence';
import { Allow } from '../auth/caller.guard.js';
import { SERVICE_IDENTITY, type ServiceIdentity } from '../service-identity.js';
import { contextDatabases } from './databases-view.js';

/**
 * What a context with data tells the operations console (through the
 * gateway, for an admin only: the caller token must name one): its shards'
 * nodes, replication and outbox backlog, read when asked (ADR 0035).
 */
@Allow('admin')
@Controller('ops')
export class OperationsController {
  constructor(
    private readonly router: ShardRouter,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  @Get('databases')
  databases(): Promise<ContextDatabasesView> {
    return contextDatabases(this.identity.service, this.router.shards);
  }
}
