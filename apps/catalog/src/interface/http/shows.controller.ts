import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { IdParam, ScheduleShowRequest, type ShowView } from '@boxoffice/contracts';
import type { CausalContext } from '@boxoffice/messaging';
import { Allow, Causal, OptionalCallerPrincipal, problem, ProblemException, ZodPipe, type Principal } from '@boxoffice/platform';
import { CancelShowHandler } from '../../application/cancel-show/cancel-show.handler.js';
import { PublishShowHandler } from '../../application/publish-show/publish-show.handler.js';
import { ScheduleShowHandler } from '../../application/schedule-show/schedule-show.handler.js';
import { ShowRepository } from '../../application/ports/show.repository.port.js';
import type { Show } from '../../domain/show/show.aggregate.js';
import { raiseViolation } from './result-to-http.js';

const StatusFilter = z.enum(['draft', 'published', 'cancelled']).optional();

/** Admins schedule, publish and cancel shows and see drafts; anyone else sees published and cancelled shows. */
@Controller('shows')
export class ShowsController {
  constructor(
    private readonly scheduleShow: ScheduleShowHandler,
    private readonly publishShow: PublishShowHandler,
    private readonly cancelShow: CancelShowHandler,
    private readonly shows: ShowRepository,
  ) {}

  @Post()
  @Allow('admin')
  @HttpCode(201)
  async schedule(@Body(new ZodPipe(ScheduleShowRequest)) body: ScheduleShowRequest, @Causal() causal: CausalContext): Promise<{ id: string }> {
    const result = await this.scheduleShow.execute(body, causal);
    if (!result.ok) raiseViolation(result.error);
    return result.value;
  }

  @Post(':id/publish')
  @Allow('admin')
  @HttpCode(200)
  async publish(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<ShowView> {
    const result = await this.publishShow.execute(id, causal);
    if (!result.ok) raiseViolation(result.error);
    return toView(result.value);
  }

  @Post(':id/cancel')
  @Allow('admin')
  @HttpCode(200)
  async cancel(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<ShowView> {
    const result = await this.cancelShow.execute(id, causal);
    if (!result.ok) raiseViolation(result.error);
    return toView(result.value);
  }

  @Get()
  @Allow('anyone')
  async list(@Query('status', new ZodPipe(StatusFilter)) status: Show['status'] | undefined, @OptionalCallerPrincipal() principal: Principal | null): Promise<ShowView[]> {
    if (!isAdmin(principal) && (status === undefined || status === 'draft')) {
      throw new ProblemException(problem(403, 'forbidden', 'Forbidden', { detail: 'drafts are for admins: ask for ?status=published or ?status=cancelled' }));
    }
    return (await this.shows.list(status)).map(toView);
  }

  @Get(':id')
  @Allow('anyone')
  async get(@Param('id', new ZodPipe(IdParam)) id: string, @OptionalCallerPrincipal() principal: Principal | null): Promise<ShowView> {
    const show = await this.shows.readById(id);
    // A draft is not there for anyone but an admin, as an unknown show is not.
    if (!show || (show.status === 'draft' && !isAdmin(principal))) throw ProblemException.notFound('Show', `no show with id ${id}`);
    return toView(show);
  }
}

function isAdmin(principal: Principal | null): boolean {
  return principal?.role === 'admin';
}

function toView(show: Show): ShowView {
  return {
    id: show.id,
    venueId: show.venueId,
    title: show.title,
    startsAt: show.startsAt,
    priceTiers: [...show.priceTiers],
    status: show.status,
    version: show.version,
  };
}
