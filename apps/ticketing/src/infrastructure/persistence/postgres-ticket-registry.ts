import { Inject, Injectable } from '@nestjs/common';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { TicketsIssuedV1 } from '@boxoffice/contracts';
import { causedBy, messageFor, processOnce, stageMessage, type ConsumedMessage } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { OutboxRelays, SERVICE_IDENTITY, type ServiceIdentity } from '@boxoffice/platform';
import { TicketRegistry, type IssuedTicket, type IssueOutcome, type RefundedOrder } from '../../application/ports/ticket-registry.port.js';
import type { ConfirmedOrder } from '../../domain/ticket/ticket-issuance.js';
import type { Ticket } from '../../domain/ticket/ticket.js';
import { TicketRecord } from './ticket.record.js';

const CONSUMER = 'ticketing';
const UNIQUE_VIOLATION = '23505';

/** Tickets live on the shard that the show id's bucket maps to. */
@Injectable()
export class PostgresTicketRegistry extends TicketRegistry {
  constructor(
    private readonly router: ShardRouter,
    private readonly relays: OutboxRelays,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {
    super();
  }

  async issue(message: ConsumedMessage, order: ConfirmedOrder, tickets: IssuedTicket[]): Promise<IssueOutcome> {
    let outcome: IssueOutcome = 'issued';
    const writer = this.router.writerForKey(order.showId);
    const inbox = await processOnce(writer, CONSUMER, message, async (manager) => {
      // The order row first: two messages for one order serialize on it, and the later one stops here.
      const claimed: unknown[] = await manager.query(
        `INSERT INTO ticketed_orders (show_id, order_id, customer_id, ticket_count, issued_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (show_id, order_id) DO NOTHING RETURNING order_id`,
        [order.showId, order.orderId, order.customerId, tickets.length, message.messageId],
      );
      if (claimed.length === 0) {
        outcome = 'already-issued';
        return;
      }
      await insertTickets(manager, order, tickets);
      const announcement = messageFor(
        TicketsIssuedV1,
        {
          orderId: order.orderId,
          customerId: order.customerId,
          showId: order.showId,
          tickets: tickets.map((t) => ({ ticketId: t.ticketId, seatId: t.seatId, code: t.code })),
        },
        // Keyed by the order, like the event it answers; an order is ticketed once, so version 1.
        { id: order.orderId, version: 1 },
        this.identity,
        causedBy(message),
      );
      await stageMessage(manager, TicketsIssuedV1, announcement);
    });
    if (inbox === 'processed' && outcome === 'issued') this.relays.wake(writer.shard);
    return inbox === 'duplicate' ? 'duplicate' : outcome;
  }

  async voidOrder(message: ConsumedMessage, order: RefundedOrder): Promise<{ outcome: 'processed' | 'duplicate'; voided: number }> {
    let voided = 0;
    const outcome = await processOnce(this.router.writerForKey(order.showId), CONSUMER, message, async (manager) => {
      // The order row first, as when issuing: a confirmation being ticketed right now finishes before
      // this goes on (and its tickets are voided below); one that comes later finds the order claimed.
      await manager.query(
        `INSERT INTO ticketed_orders (show_id, order_id, customer_id, ticket_count, issued_by, refunded_by) VALUES ($1, $2, $3, 0, NULL, $4)
         ON CONFLICT (show_id, order_id) DO UPDATE SET refunded_by = coalesce(ticketed_orders.refunded_by, EXCLUDED.refunded_by)`,
        [order.showId, order.orderId, order.customerId, message.messageId],
      );
      const [, affected]: [unknown, number] = await manager.query(
        `UPDATE tickets SET status = 'void' WHERE show_id = $1 AND order_id = $2 AND status = 'valid'`,
        [order.showId, order.orderId],
      );
      voided = affected;
    });
    return { outcome, voided };
  }

  async find(showId: string, ticketId: string): Promise<Ticket | undefined> {
    // AP: the door keeps checking tickets while the show's primary is lost. A replica may not have
    // replayed a void of the last moment yet; admitting that ticket is the price of staying up.
    const record = await this.router.readerForKey(showId).read((replica) => replica.getRepository(TicketRecord).findOneBy({ showId, ticketId }));
    return record ? toTicket(record) : undefined;
  }
}

async function insertTickets(manager: EntityManager, order: ConfirmedOrder, tickets: IssuedTicket[]): Promise<void> {
  try {
    // One statement for the whole order: unnest() turns parallel arrays into rows.
    await manager.query(
      `INSERT INTO tickets (show_id, order_id, customer_id, ticket_id, seat_id, price_minor, currency, code)
       SELECT $1::uuid, $2::uuid, $3::text, * FROM unnest($4::uuid[], $5::text[], $6::bigint[], $7::text[], $8::text[])`,
      [
        order.showId,
        order.orderId,
        order.customerId,
        tickets.map((t) => t.ticketId),
        tickets.map((t) => t.seatId),
        tickets.map((t) => t.price.amountMinor),
        tickets.map((t) => t.price.currency),
        tickets.map((t) => t.code),
      ],
    );
  } catch (error) {
    // Another order already holds a valid ticket for one of these seats: a bug upstream
    // (a seat sold twice). Refuse loudly; the message ends in the dead-letter topic.
    const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; detail?: string }) : undefined;
    if (driverError?.code === UNIQUE_VIOLATION) {
      throw new Error(`order ${order.orderId} names a seat that already has a valid ticket: ${driverError.detail ?? 'unknown seat'}`);
    }
    throw error;
  }
}

function toTicket(record: TicketRecord): Ticket {
  return {
    ticketId: record.ticketId,
    orderId: record.orderId,
    showId: record.showId,
    seatId: record.seatId,
    customerId: record.customerId,
    price: { amountMinor: record.priceMinor, currency: record.currency },
    status: record.status,
  };
}
