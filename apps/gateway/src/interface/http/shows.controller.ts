import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam, type AvailabilityView, type SeatMapView, type ShowView } from '@boxoffice/contracts';
import type { CausalContext } from '@boxoffice/messaging';
import { Causal, ProblemException, ZodPipe } from '@boxoffice/platform';
import { Upstreams } from '../../infrastructure/upstreams.js';

export interface ShowWithAvailability extends ShowView {
  /** Null until inventory has put the show's seats on sale (eventually consistent). */
  availability: AvailabilityView | null;
}

@ApiTags('shows')
/** Public reads: anonymous, so the contexts are told no principal. */
@Controller('shows')
export class ShowsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get()
  @ApiOperation({ summary: 'Published shows' })
  list(@Causal() causal: CausalContext): Promise<ShowView[]> {
    return this.upstreams.catalog.expectOk({ method: 'GET', path: '/shows?status=published', correlationId: causal.correlationId, principal: null });
  }

  /** API composition at the edge: the show from catalog, its live availability from inventory. */
  @Get(':id')
  @ApiOperation({ summary: 'A show with its live seat availability' })
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
  seats(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<SeatMapView> {
    return this.upstreams.inventory.expectOk<SeatMapView>({ method: 'GET', path: `/shows/${id}/seats`, correlationId: causal.correlationId, principal: null });
  }
}
