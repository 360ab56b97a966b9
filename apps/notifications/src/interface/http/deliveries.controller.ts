import { Controller, Get, Param } from '@nestjs/common';
import { IdParam } from '@boxoffice/contracts';
import { Allow, ZodPipe } from '@boxoffice/platform';
import { GetOrderDeliveriesQuery } from '../../application/get-order-deliveries/get-order-deliveries.query.js';
import type { DeliveryView } from '../../application/ports/delivery-queue.port.js';

/** For operations and tests: what was (or will be) sent about an order, and how it went. */
@Allow('admin')
@Controller('orders')
export class DeliveriesController {
  constructor(private readonly getOrderDeliveries: GetOrderDeliveriesQuery) {}

  @Get(':orderId/deliveries')
  async deliveries(@Param('orderId', new ZodPipe(IdParam)) orderId: string): Promise<DeliveryView[]> {
    return this.getOrderDeliveries.execute(orderId);
  }
}
