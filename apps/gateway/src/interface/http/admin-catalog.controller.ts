import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam, RegisterVenueRequest, ScheduleShowRequest, type ShowView, type VenueView } from '@boxoffice/contracts';
import type { CausalContext } from '@boxoffice/messaging';
import { Causal, ZodPipe } from '@boxoffice/platform';
import { Upstreams } from '../../infrastructure/upstreams.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
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
  registerVenue(@Body(new ZodPipe(RegisterVenueRequest)) body: RegisterVenueRequest, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<{ id: string }> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: '/venues', body, correlationId: causal.correlationId, principal });
  }

  @Get('venues/:id')
  @ApiOperation({ summary: 'Read a venue' })
  venue(@Param('id', new ZodPipe(IdParam)) id: string, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<VenueView> {
    return this.upstreams.catalog.expectOk({ method: 'GET', path: `/venues/${id}`, correlationId: causal.correlationId, principal });
  }

  @Post('shows')
  @HttpCode(201)
  @ApiOperation({ summary: 'Schedule a show (a draft) at a venue' })
  @ApiBody({ schema: openApiSchema(ScheduleShowRequest) })
  scheduleShow(@Body(new ZodPipe(ScheduleShowRequest)) body: ScheduleShowRequest, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<{ id: string }> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: '/shows', body, correlationId: causal.correlationId, principal });
  }

  @Post('shows/:id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a show: its seat map freezes and its seats go on sale' })
  publishShow(@Param('id', new ZodPipe(IdParam)) id: string, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<ShowView> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: `/shows/${id}/publish`, correlationId: causal.correlationId, principal });
  }

  @Post('shows/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a show: its seats are no longer sold (confirmed orders are refunded one by one)' })
  cancelShow(@Param('id', new ZodPipe(IdParam)) id: string, @CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<ShowView> {
    return this.upstreams.catalog.expectOk({ method: 'POST', path: `/shows/${id}/cancel`, correlationId: causal.correlationId, principal });
  }
}
