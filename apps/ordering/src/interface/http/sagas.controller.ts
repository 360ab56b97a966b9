import { Controller, Get } from '@nestjs/common';
import type { SagasInFlightView } from '@boxoffice/contracts';
import { Allow } from '@boxoffice/platform';
import { CountSagasInFlightQuery } from '../../application/count-sagas-in-flight/count-sagas-in-flight.query.js';

/** The sagas in flight by state, for the operations console: an admin read (ADR 0035). */
@Allow('admin')
@Controller('ops')
export class SagasController {
  constructor(private readonly countSagas: CountSagasInFlightQuery) {}

  @Get('sagas')
  async inFlight(): Promise<SagasInFlightView> {
    const { inFlight, states, oldest } = await this.countSagas.execute();
    return {
      inFlight,
      states: states.map((s) => ({ state: s.state, count: s.count, oldestPlacedAt: s.oldestPlacedAt.toISOString() })),
      oldest: oldest.map((s) => ({ orderId: s.orderId, state: s.state, placedAt: s.placedAt.toISOString(), traceId: s.traceId })),
    };
  }
}
