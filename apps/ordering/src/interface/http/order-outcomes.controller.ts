import { Controller, Get } from '@nestjs/common';
import type { OrderOutcomesView } from '@boxoffice/contracts';
import { Allow } from '@boxoffice/platform';
import { CountOrderOutcomesQuery } from '../../application/count-order-outcomes/count-order-outcomes.query.js';

/** Orders placed, confirmed and rejected since the beginning, for the console's orders per second: an admin read (docs/adr/0038). */
@Allow('admin')
@Controller('ops')
export class OrderOutcomesController {
  constructor(private readonly countOutcomes: CountOrderOutcomesQuery) {}

  @Get('orders')
  counts(): Promise<OrderOutcomesView> {
    return this.countOutcomes.execute();
  }
}
