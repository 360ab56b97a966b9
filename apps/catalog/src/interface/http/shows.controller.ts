import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { IdParam, ScheduleShowRequest, type ShowView } from '@boxoffice/contracts';
import type { CausalContext } from '@boxoffice/messaging';
import { Causal, ProblemException, ZodPipe } from '@boxoffice/platform';
import { CancelShowHandler } from '../../application/cancel-show/cancel-show.handler.js';
import { PublishShowHandler } from '../../application/publish-show/publish-show.handler.js';
import { ScheduleShowHandler } from '../../application/schedule-show/schedule-show.handler.js';
import { ShowRepository } from '../../application/ports/show.repository.port.js';
import type { Show } from '../../domain/show/show.aggregate.js';
import { raiseViolation } from './result-to-http.js';

const StatusFilter = z.enum(['draft', 'published', 'cancelled']).optional();

@Controller('shows')
export class ShowsController {
  constructor(
    private readonly scheduleShow: ScheduleShowHandler,
    private readonly publishShow: PublishShowHandler,
    private readonly cancelShow: CancelShowHandler,
    private readonly shows: ShowRepository,
  ) {}

  @Post()
  @HttpCode(201)
  async schedule(@Body(new ZodPipe(ScheduleShowRequest)) body: ScheduleShowRequest, @Causal() causal: CausalContext): Promise<{ id: string }> {
    const result = await this.scheduleShow.execute(body, causal);
    if (!result.ok) raiseViolation(result.error);
    return result.value;
  }

  @Post(':id/publish')
  @HttpCode(200)
  async publish(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<ShowView> {
    const result = await this.publishShow.execute(id, causal);
    if (!result.ok) raiseViolation(result.error);
    return toView(result.value);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<ShowView> {
    const result = await this.cancelShow.execute(id, causal);
    if (!result.ok) raiseViolation(result.error);
    return toView(result.value);
  }

  @Get()
  async list(@Query('status', new ZodPipe(StatusFilter)) status?: Show['status']): Promise<ShowView[]> {
    return (await this.shows.list(status)).map(toView);
  }

  @Get(':id')
  async get(@Param('id', new ZodPipe(IdParam)) id: string): Promise<ShowView> {
    const show = await this.shows.readById(id);
    if (!show) throw ProblemException.notFound('Show', `no show with id ${id}`);
    return toView(show);
  }
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
