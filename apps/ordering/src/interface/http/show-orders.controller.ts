import { Controller, Get, Param } from '@nestjs/common';
import { IdParam, MAX_SHOW_ORDERS, type ShowOrdersView } from '@boxoffice/contracts';
import { Allow, ZodPipe } from '@boxoffice/platform';
import { ListShowOrdersQuery } from '../../application/list-show-orders/list-show-orders.query.js';
import { toView } from './orders.controller.js';

/** A show's orders: an admin read (the caller token must name an admin). An unknown show simply has none. */
@Allow('admin')
@Controller('shows')
export class ShowOrdersController {
  constructor(private readonly listShowOrders: ListShowOrdersQuery) {}

  @Get(':showId/orders')
  async list(@Param('showId', new ZodPipe(IdParam)) showId: string): Promise<ShowOrdersView> {
    const { orders, truncated } = await this.listShowOrders.execute(showId, MAX_SHOW_ORDERS);
    return { showId, orders: orders.map(toView), truncated };
  }
}
