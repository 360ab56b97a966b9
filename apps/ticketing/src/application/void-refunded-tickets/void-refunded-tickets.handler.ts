import { Injectable } from '@nestjs/common';
import type { OrderRefundedV1, PayloadOf } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import { CustomerTickets } from '../ports/customer-tickets.port.js';
import { TicketRegistry } from '../ports/ticket-registry.port.js';

/**
 * Reacts to ordering.order-refunded: the order's tickets become void on the
 * show's shard (so the door turns them away), and they leave the customer's
 * list on the customer's shard. Two shards, two transactions, each with its
 * own inbox row: if the second fails, the redelivered message skips the
 * first and finishes the second.
 */
@Injectable()
export class VoidRefundedTicketsHandler {
  constructor(
    private readonly registry: TicketRegistry,
    private readonly customerTickets: CustomerTickets,
  ) {}

  async execute(message: ConsumedMessage<PayloadOf<typeof OrderRefundedV1>>): Promise<{ voided: number | 'duplicate'; listing: 'dropped' | 'duplicate' }> {
    const { orderId, customerId, showId } = message.payload;
    const registry = await this.registry.voidOrder(message, { orderId, customerId, showId });
    const listing = await this.customerTickets.dropRefundedOrder(message, customerId, orderId);
    return { voided: registry.outcome === 'duplicate' ? 'duplicate' : registry.voided, listing };
  }
}
