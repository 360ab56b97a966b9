import { Injectable } from '@nestjs/common';
import { TicketCode } from '../../domain/ticket/ticket-code.value-object.js';
import { verdictFor, type TicketVerdict } from '../../domain/ticket/ticket-verdict.js';
import { TicketRegistry } from '../ports/ticket-registry.port.js';
import { TicketSigner } from '../ports/ticket-signer.port.js';

/**
 * Checks a code at the door: the signature first (no database work for a
 * forged code), then the ticket's current state on its show's shard.
 */
@Injectable()
export class VerifyTicketQuery {
  constructor(
    private readonly registry: TicketRegistry,
    private readonly signer: TicketSigner,
  ) {}

  async execute(code: string): Promise<TicketVerdict> {
    const parsed = TicketCode.parse(code);
    if (!parsed.ok) return { verdict: 'invalid', reason: parsed.error.message };
    if (!this.signer.verify(parsed.value.signedText, parsed.value.signature)) return { verdict: 'invalid', reason: 'signature does not match' };
    const { identity } = parsed.value;
    return verdictFor(identity, await this.registry.find(identity.showId, identity.ticketId));
  }
}
