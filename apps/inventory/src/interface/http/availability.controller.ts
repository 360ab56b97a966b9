import { Controller, Get, Param } from '@nestjs/common';
import { IdParam, type AvailabilityView, type SeatMapView } from '@boxoffice/contracts';
import { Allow, ProblemException, ZodPipe } from '@boxoffice/platform';
import { isAvailable } from '../../domain/seat/availability.js';
import { GetAvailabilityQuery } from '../../application/get-availability/get-availability.query.js';
import { GetSeatMapQuery } from '../../application/get-seat-map/get-seat-map.query.js';

/** Seat availability is public: anyone the gateway forwards may read it. */
@Allow('anyone')
@Controller('shows')
export class AvailabilityController {
  constructor(
    private readonly getAvailability: GetAvailabilityQuery,
    private readonly getSeatMap: GetSeatMapQuery,
  ) {}

  @Get(':showId/availability')
  async availability(@Param('showId', new ZodPipe(IdParam)) showId: string): Promise<AvailabilityView> {
    const availability = await this.getAvailability.execute(showId);
    if (!availability) throw notOnSale(showId);
    return availability;
  }

  @Get(':showId/seats')
  async seats(@Param('showId', new ZodPipe(IdParam)) showId: string): Promise<SeatMapView> {
    const seatMap = await this.getSeatMap.execute(showId);
    if (!seatMap) throw notOnSale(showId);
    return {
      showId,
      status: seatMap.status,
      seats: seatMap.seats.map(({ seatId, section, row, number, priceTier, status }) => ({ seatId, section, row, number, priceTier, available: isAvailable(status, seatMap.status) })),
    };
  }
}

function notOnSale(showId: string): ProblemException {
  return ProblemException.notFound('Show', `show ${showId} is not on sale (unknown, or its publication is still on its way)`);
}
