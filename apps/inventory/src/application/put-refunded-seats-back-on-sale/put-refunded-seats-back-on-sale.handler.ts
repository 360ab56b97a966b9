import { Injectable } from '@nestjs/common';
import type { PayloadOf, OrderRefundedV1 } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import { decide, type PutBackOnSale } from '../../domain/seat/show-seats.decider.js';
import { SeatInventory } from '../ports/seat-inventory.port.js';

/**
 * Reacts to ordering.order-refunded: the order's sold seats are free again,
 * on the show's shard, once per message. Nobody waits for an answer.
 */
@Injectable()
export class PutRefundedSeatsBackOnSaleHandler {
  constructor(private readonly inventory: SeatInventory) {}

  async execute(message: ConsumedMessage<PayloadOf<typeof OrderRefundedV1>>): Promise<{ outcome: 'processed' | 'duplicate'; freed: string[] }> {
    const { orderId, showId } = message.payload;
    const command: PutBackOnSale = { type: 'put-back-on-sale', orderId };
    let freed: string[] = [];
    const outcome = await this.inventory.handleOnce(showId, message, async (seats) => {
      const decision = decide(command, await seats.load(command));
      await seats.store(decision.events);
      freed = decision.outcome.seatIds;
    });
    return { outcome, freed };
  }
}
