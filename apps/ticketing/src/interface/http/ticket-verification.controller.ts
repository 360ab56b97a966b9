import { Controller, Get, Query } from '@nestjs/common';
import { TicketCodeQuery, type TicketVerificationView } from '@boxoffice/contracts';
import { Allow, ZodPipe } from '@boxoffice/platform';
import { VerifyTicketQuery } from '../../application/verify-ticket/verify-ticket.query.js';

/** At the door: staff, who are admins here (there is no narrower role yet). */
@Allow('admin')
@Controller('tickets')
export class TicketVerificationController {
  constructor(private readonly verifyTicket: VerifyTicketQuery) {}

  /** Always 200 with a verdict: an invalid code is an answer, not an error. */
  @Get('verify')
  async verify(@Query('code', new ZodPipe(TicketCodeQuery)) code: string): Promise<TicketVerificationView> {
    const verdict = await this.verifyTicket.execute(code);
    if (verdict.verdict === 'invalid') return verdict;
    const { ticketId, orderId, showId, seatId, customerId, status } = verdict.ticket;
    return { verdict: verdict.verdict, ticket: { ticketId, orderId, showId, seatId, customerId, status } };
  }
}
