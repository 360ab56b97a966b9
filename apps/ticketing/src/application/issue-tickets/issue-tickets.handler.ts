import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { ConsumedMessage } from '@boxoffice/messaging';
import { TicketCode } from '../../domain/ticket/ticket-code.value-object.js';
import { ticketsFor, type ConfirmedOrder } from '../../domain/ticket/ticket-issuance.js';
import { TicketRegistry, type IssueOutcome } from '../ports/ticket-registry.port.js';
import { TicketSigner } from '../ports/ticket-signer.port.js';

/** Reacts to ordering.order-confirmed: one signed ticket per sold seat. */
@Injectable()
export class IssueTicketsHandler {
  constructor(
    private readonly registry: TicketRegistry,
    private readonly signer: TicketSigner,
  ) {}

  async execute(message: ConsumedMessage, order: ConfirmedOrder): Promise<IssueOutcome> {
    const tickets = ticketsFor(order, uuidv7);
    // A confirmed order we cannot ticket is a poison message: fail so it is dead-lettered.
    if (!tickets.ok) throw new Error(tickets.error.message);
    const signed = tickets.value.map((ticket) => {
      const text = TicketCode.signedText(ticket);
      return { ...ticket, code: TicketCode.compose(ticket, this.signer.sign(text)).toString() };
    });
    return this.registry.issue(message, order, signed);
  }
}
