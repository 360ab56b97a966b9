import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PayloadOf, TicketsIssuedV1 } from '@boxoffice/contracts';
import { processOnce, type ConsumedMessage } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { CustomerTickets, type CustomerTicket } from '../../application/ports/customer-tickets.port.js';
import { CustomerTicketRecord } from './customer-ticket.record.js';

/** Its own inbox name: this projection and ticket issuing track their messages apart. */
const CONSUMER = 'ticketing.customer-tickets';

/** The read model lives on the shard that the customer id's bucket maps to. */
@Injectable()
export class PostgresCustomerTickets extends CustomerTickets {
  constructor(private readonly router: ShardRouter) {
    super();
  }

  async record(message: ConsumedMessage<PayloadOf<typeof TicketsIssuedV1>>): Promise<'recorded' | 'duplicate'> {
    const { customerId, orderId, showId, tickets } = message.payload;
    const inbox = await processOnce(this.router.writerForKey(customerId), CONSUMER, message, async (manager) => {
      if (await lockOrderAndCheckRefunded(manager, customerId, orderId)) return;
      await manager.query(
        `INSERT INTO customer_tickets (customer_id, order_id, show_id, ticket_id, seat_id, code)
         SELECT $1::text, $2::uuid, $3::uuid, * FROM unnest($4::uuid[], $5::text[], $6::text[])
         ON CONFLICT (customer_id, ticket_id) DO NOTHING`,
        [customerId, orderId, showId, tickets.map((t) => t.ticketId), tickets.map((t) => t.seatId), tickets.map((t) => t.code)],
      );
    });
    return inbox === 'duplicate' ? 'duplicate' : 'recorded';
  }

  async dropRefundedOrder(message: ConsumedMessage, customerId: string, orderId: string): Promise<'dropped' | 'duplicate'> {
    const inbox = await processOnce(this.router.writerForKey(customerId), CONSUMER, message, async (manager) => {
      await lockOrderAndCheckRefunded(manager, customerId, orderId);
      await manager.query(
        `INSERT INTO customer_refunded_orders (customer_id, order_id, refunded_by) VALUES ($1, $2, $3) ON CONFLICT (customer_id, order_id) DO NOTHING`,
        [customerId, orderId, message.messageId],
      );
      await manager.query(`DELETE FROM customer_tickets WHERE customer_id = $1 AND order_id = $2`, [customerId, orderId]);
    });
    return inbox === 'duplicate' ? 'duplicate' : 'dropped';
  }

  async list(customerId: string): Promise<CustomerTicket[]> {
    // AP: from a replica of the customer's shard (a moment stale at worst), so the list survives a lost primary.
    // Ticket ids are UUIDv7, so their order is the order they were issued in.
    const records = await this.router
      .readerForKey(customerId)
      .read((replica) => replica.getRepository(CustomerTicketRecord).find({ where: { customerId }, order: { ticketId: 'ASC' }, take: 1000 }));
    return records.map(({ ticketId, orderId, showId, seatId, code }) => ({ ticketId, orderId, showId, seatId, code }));
  }
}

/**
 * The tickets of an order and its refund travel on different topics, so
 * either may come first. Both take a transaction lock on the order, so one
 * waits for the other to commit and then sees what it wrote: tickets
 * recorded first are dropped by the refund, tickets arriving after it are
 * not recorded. True when the order was refunded.
 */
async function lockOrderAndCheckRefunded(manager: EntityManager, customerId: string, orderId: string): Promise<boolean> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`customer-order:${orderId}`]);
  const refunded: unknown[] = await manager.query(`SELECT 1 FROM customer_refunded_orders WHERE customer_id = $1 AND order_id = $2`, [customerId, orderId]);
  return refunded.length > 0;
}
