import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { IdParam, RegisterVenueRequest, type VenueView } from '@boxoffice/contracts';
import { Allow, ProblemException, ZodPipe } from '@boxoffice/platform';
import { RegisterVenueHandler } from '../../application/register-venue/register-venue.handler.js';
import { VenueRepository } from '../../application/ports/venue.repository.port.js';
import { raiseViolation } from './result-to-http.js';

/** Venues are managed by admins only. */
@Allow('admin')
@Controller('venues')
export class VenuesController {
  constructor(
    private readonly registerVenue: RegisterVenueHandler,
    private readonly venues: VenueRepository,
  ) {}

  @Post()
  @HttpCode(201)
  async register(@Body(new ZodPipe(RegisterVenueRequest)) body: RegisterVenueRequest): Promise<{ id: string }> {
    const result = await this.registerVenue.execute(body);
    if (!result.ok) raiseViolation(result.error);
    return result.value;
  }

  @Get(':id')
  async get(@Param('id', new ZodPipe(IdParam)) id: string): Promise<VenueView> {
    const venue = await this.venues.readById(id);
    if (!venue) throw ProblemException.notFound('Venue', `no venue with id ${id}`);
    return { id: venue.id, name: venue.name, sections: [...venue.seatMap.sections], seatCount: venue.seatMap.size, version: venue.version };
  }
}
