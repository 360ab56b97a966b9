import { Injectable } from '@nestjs/common';
import { DeliveryQueue, type DeliveryView } from '../ports/delivery-queue.port.js';

@Injectable()
export class GetOrderDeliveriesQuery {
  constructor(private readonly queue: DeliveryQueue) {}

  execute(orderId: string): Promise<DeliveryView[]> {
    return this.queue.forOrder(orderId);
  }
}
