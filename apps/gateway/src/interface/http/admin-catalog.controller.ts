import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CreatedResponse, IdParam, RegisterVenueRequest, ScheduleShowRequest, ShowOrdersView, ShowStatus, ShowView, VenueView } from '@boxoffice/contracts';
import type { CausalContext } from '@boxoffice/messaging';
import { Causal, ZodPipe } from '@boxoffice/platform';
import { Upstreams } from '../../infrastructure/upstreams.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/role.guard.js';
import { ApiAnswer, ApiJsonBody, ApiPathParam, ApiProblems, ApiQueryParam, ApiUpstreamProblems, linkById } from './openapi.js';

@ApiTags('admin')
@RequireRole('admin')
@ApiUpstreamProblems()
@Controller('admin')
export class AdminCatalogController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post('venues')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a venue with its seat map' })
  @ApiJsonBody(RegisterVenueRequest)
  @ApiAnswer(201, 'CreatedResponse', CreatedResponse, 'Registered: its id', {
    links: {
      venue: linkById('AdminCatalogController_venue', 'Read the venue'),
      scheduleShow: { operationId: 'AdminCatalogController_scheduleShow', description: 'Schedule a show at the venue', requestBody: { venueId: '$response.body#/id' } },
    },
  })
  @ApiProblems(422)
  registerVenue(@Body(new ZodPipe(RegisterVenueRequest)) body: RegisterVenueRequest, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<CreatedResponse> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: '/venues', body, correlationId: causal.correlationId, principal });
  }

  @Get('venues/:id')
  @ApiOperation({ summary: 'Read a venue' })
  @ApiPathParam('id', IdParam)
  @ApiAnswer(200, 'VenueView', VenueView, 'The venue and its seat map')
  @ApiProblems(404)
  venue(@Param('id', new ZodPipe(IdParam)) id: string, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<VenueView> {
    return this.upstreams.catalog.expectOk({ method: 'GET', path: `/venues/${id}`, correlationId: causal.correlationId, principal });
  }

  @Get('shows')
  @ApiOperation({ summary: 'Every show, drafts included, or those in one state (`?status=draft`)' })
  @ApiQueryParam('status', ShowStatus.optional(), 'Only the shows in this state')
  @ApiAnswer(200, 'ShowList', z.array(ShowView), 'The shows')
  shows(@Query('status', new ZodPipe(ShowStatus.optional())) status: ShowStatus | undefined, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<ShowView[]> {
    return this.upstreams.catalog.expectOk({ method: 'GET', path: status ? `/shows?status=${status}` : '/shows', correlationId: causal.correlationId, principal });
  }

  @Post('shows')
  @HttpCode(201)
  @ApiOperation({ summary: 'Schedule a show (a draft) at a venue' })
  @ApiJsonBody(ScheduleShowRequest)
  @ApiAnswer(201, 'CreatedResponse', CreatedResponse, 'Scheduled as a draft: its id', {
    links: {
      publishShow: linkById('AdminCatalogController_publishShow', 'Publish the show'),
      cancelShow: linkById('AdminCatalogController_cancelShow', 'Cancel the show'),
      showOrders: linkById('AdminCatalogController_showOrders', "List the show's orders"),
    },
  })
  @ApiProblems(404, 422)
  scheduleShow(@Body(new ZodPipe(ScheduleShowRequest)) body: ScheduleShowRequest, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<CreatedResponse> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: '/shows', body, correlationId: causal.correlationId, principal });
  }

  @Post('shows/:id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a show: its seat map freezes and its seats go on sale' })
  @ApiPathParam('id', IdParam)
  @ApiAnswer(200, 'ShowView', ShowView, 'Published', {
    links: {
      show: linkById('ShowsController_show', 'Read the show with its availability'),
      seats: linkById('ShowsController_seats', 'Read its seat map'),
      cancelShow: linkById('AdminCatalogController_cancelShow', 'Cancel the show'),
      showOrders: linkById('AdminCatalogController_showOrders', "List the show's orders"),
    },
  })
  @ApiProblems(404, 409, 422)
  publishShow(@Param('id', new ZodPipe(IdParam)) id: string, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<ShowView> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: `/shows/${id}/publish`, correlationId: causal.correlationId, principal });
  }

  @Post('shows/:id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a show: nothing more is sold, every order that bought seats is refunded and its customer told (asynchronously)',
  })
  @ApiPathParam('id', IdParam)
  @ApiAnswer(200, 'ShowView', ShowView, 'Cancelled')
  @ApiProblems(404, 409, 422)
  cancelShow(@Param('id', new ZodPipe(IdParam)) id: string, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<ShowView> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: `/shows/${id}/cancel`, correlationId: causal.correlationId, principal });
  }

  /**
   * Catalog says whether the show exists (404 otherwise); ordering lists its
   * orders, gathered from every ordering shard (docs/adr/0026).
   */
  @Get('shows/:id/orders')
  @ApiOperation({ summary: "A show's orders with their state, oldest first (at most 1000; `truncated` says when there are more)" })
  @ApiPathParam('id', IdParam)
  @ApiAnswer(200, 'ShowOrdersView', ShowOrdersView, "The show's orders")
  @ApiProblems(404, 422)
  async showOrders(@Param('id', new ZodPipe(IdParam)) id: string, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<ShowOrdersView> {
    const [, orders] = await Promise.all([
      this.upstreams.catalog.expectOk<ShowView>({ method: 'GET', path: `/shows/${id}`, correlationId: causal.correlationId, principal }),
      this.upstreams.ordering.expectOk<ShowOrdersView>({ method: 'GET', path: `/shows/${id}/orders`, correlationId: causal.correlationId, principal }),
    ]);
    return orders;
  }
}
