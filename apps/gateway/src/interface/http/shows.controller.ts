import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { IdParam, SeatMapView, ShowView, ShowWithAvailability, type AvailabilityView } from '@boxoffice/contracts';
import type { CausalContext } from '@boxoffice/messaging';
import { Causal, ProblemException, ZodPipe } from '@boxoffice/platform';
import { Upstreams } from '../../infrastructure/upstreams.js';
import { ApiAnswer, ApiPathParam, ApiProblems, ApiUpstreamProblems } from './openapi.js';

@ApiTags('shows')
/** Public reads: anonymous, so the contexts are told no principal. */
@ApiUpstreamProblems()
@Controller('shows')
export class ShowsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get()
  @ApiOperation({ summary: 'Published shows' })
  @ApiAnswer(200, 'ShowList', z.array(ShowView), 'Every published show')
  list(@Causal() causal: CausalContext): Promise<ShowView[]> {
    return this.upstreams.catalog.expectOk({ method: 'GET', path: '/shows?status=published', correlationId: causal.correlationId, principal: null });
  }

  /** API composition at the edge: the show from catalog, its live availability from inventory. */
  @Get(':id')
  @ApiOperation({ summary: 'A show with its live seat availability' })
  @ApiPathParam('id', IdParam)
  @ApiAnswer(200, 'ShowWithAvailability', ShowWithAvailability, 'The show; `availability` is null until its seats are on sale')
  @ApiProblems(404)
  async show(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<ShowWithAvailability> {
    const [show, availability] = await Promise.all([
      this.upstreams.catalog.expectOk<ShowView>({ method: 'GET', path: `/shows/${id}`, correlationId: causal.correlationId, principal: null }),
      this.upstreams.inventory.call<AvailabilityView>({ method: 'GET', path: `/shows/${id}/availability`, correlationId: causal.correlationId, principal: null }),
    ]);
    if (show.status === 'draft') throw ProblemException.notFound('Show', `no show with id ${id}`);
    return { ...show, availability: availability.status === 200 ? availability.body : null };
  }

  /**
   * Inventory alone: it has seats only for a show whose publication it has
   * consumed, so an unknown or draft show is already its 404.
   */
  @Get(':id/seats')
  @ApiOperation({ summary: "A show's seat map with live availability, seat by seat" })
  @ApiPathParam('id', IdParam)
  @ApiAnswer(200, 'SeatMapView', SeatMapView, 'Every seat, and whether it can be bought', {
    links: {
      placeOrder: {
        operationId: 'OrdersController_place',
        description: 'Order the first seat of the map',
        requestBody: { showId: '$response.body#/showId', seatIds: ['$response.body#/seats/0/seatId'] },
      },
    },
  })
  @ApiProblems(404)
  seats(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<SeatMapView> {
    return this.upstreams.inventory.expectOk<SeatMapView>({ method: 'GET', path: `/shows/${id}/seats`, correlationId: causal.correlationId, principal: null });
  }
}
