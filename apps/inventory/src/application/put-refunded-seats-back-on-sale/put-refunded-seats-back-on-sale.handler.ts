import { Injectable } from '@nestjs/common';
import type { Envelope, PayloadOf, OrderRefundedV1 } from '@boxoffice/contracts';
import { seatsToPutBackOnSale } from '../../domain/seat/seat-policies.js';
import { SeatInventory } from '../ports/seat-inventory.port.js';

/**
 * Reacts to ordering.order-refunded: the order's sold seats are free again,
 * on the show's shard, once per message. Nobody waits for an answer.
 */
@Injectable()
export class PutRefundedSeatsBackOnSaleHandler {
  constructor(private readonly inventory: SeatInventory) {}

  async execute(message: Envelope<PayloadOf<typeof OrderRefundedV1>>): Promise<{ outcome: 'processed' | 'duplicate'; freed: string[] }> {
    const { orderId, showId } = message.payload;
    let freed: string[] = [];
    const outcome = await this.inventory.handleOnce(showId, message, async (seats) => {
      freed = seatsToPutBackOnSale(await seats.lockSeatsOfOrder(orderId));
      await seats.markFree(freed);
    });
    return { outcome, freed };
  }
}
