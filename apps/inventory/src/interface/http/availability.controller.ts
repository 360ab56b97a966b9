import { Controller, Get, Param } from '@nestjs/common';
import { IdParam, type AvailabilityView } from '@boxoffice/contracts';
import { ProblemException, ZodPipe } from '@boxoffice/platform';
import { GetAvailabilityQuery } from '../../application/get-availability/get-availability.query.js';

@Controller('shows')
export class AvailabilityController {
  constructor(private readonly getAvailability: GetAvailabilityQuery) {}

  @Get(':showId/availability')
  async availability(@Param('showId', new ZodPipe(IdParam)) showId: string): Promise<AvailabilityView> {
    const availability = await this.getAvailability.execute(showId);
    if (!availability) throw ProblemException.notFound('Show', `show ${showId} is not on sale (unknown, or its publication is still on its way)`);
    return availability;
  }
}
