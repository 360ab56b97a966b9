import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam, RegisterVenueRequest, ScheduleShowRequest, type ShowOrdersView, type ShowView, type VenueView } from '@boxoffice/contracts';
import type { CausalContext } from '@boxoffice/messaging';
import { Causal, ZodPipe } from '@boxoffice/platform';
import { Upstreams } from '../../infrastructure/upstreams.js';
import { RequireRole } from '../auth/role.guard.js';
import { openApiSchema } from './openapi.js';

@ApiTags('admin')
@RequireRole('admin')
@Controller('admin')
export class AdminCatalogController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('venues')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a venue with its seat map' })
  @ApiBody({ schema: openApiSchema(RegisterVenueRequest) })
  registerVenue(@Body(new ZodPipe(RegisterVenueRequest)) body: RegisterVenueRequest, @Causal() causal: CausalContext): Promise<{ id: string }> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: '/venues', body, correlationId: causal.correlationId });
  }

  @Get('venues/:id')
  @ApiOperation({ summary: 'Read a venue' })
  venue(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<VenueView> {
    return this.upstreams.catalog.expectOk({ method: 'GET', path: `/venues/${id}`, correlationId: causal.correlationId });
  }

  @Post('shows')
  @HttpCode(201)
  @ApiOperation({ summary: 'Schedule a show (a draft) at a venue' })
  @ApiBody({ schema: openApiSchema(ScheduleShowRequest) })
  scheduleShow(@Body(new ZodPipe(ScheduleShowRequest)) body: ScheduleShowRequest, @Causal() causal: CausalContext): Promise<{ id: string }> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: '/shows', body, correlationId: causal.correlationId });
  }

  @Post('shows/:id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a show: its seat map freezes and its seats go on sale' })
  publishShow(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<ShowView> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: `/shows/${id}/publish`, correlationId: causal.correlationId });
  }

  @Post('shows/:id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a show: nothing more is sold, every order that bought seats is refunded and its customer told (asynchronously)',
  })
  cancelShow(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<ShowView> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: `/shows/${id}/cancel`, correlationId: causal.correlationId });
  }

  /**
   * Catalog says whether the show exists (404 otherwise); ordering lists its
   * orders, gathered from every ordering shard (docs/adr/0026).
   */
  @Get('shows/:id/orders')
  @ApiOperation({ summary: "A show's orders with their state, oldest first (at most 1000; `truncated` says when there are more)" })
  async showOrders(@Param('id', new ZodPipe(IdParam)) id: string, @Causal() causal: CausalContext): Promise<ShowOrdersView> {
    const [, orders] = await Promise.all([
      this.upstreams.catalog.expectOk<ShowView>({ method: 'GET', path: `/shows/${id}`, correlationId: causal.correlationId }),
      this.upstreams.ordering.expectOk<ShowOrdersView>({ method: 'GET', path: `/shows/${id}/orders`, correlationId: causal.correlationId }),
    ]);
    return orders;
  }
}
