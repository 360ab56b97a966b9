import { fail, ok, violation, type Result } from '@boxoffice/ddd';

/** What a ticket code vouches for: this ticket, for this seat, at this show. */
export interface TicketIdentity {
  ticketId: string;
  showId: string;
  seatId: string;
}

/** Names the layout of the signed text, so the format can change without ambiguity. */
const FORMAT = 'bxt1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** An HMAC-SHA256 is 32 bytes: 43 base64url characters without padding. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The code printed on a ticket (as text or QR): `<identity>.<signature>`,
 * both base64url. The identity part reads back as `bxt1:<ticket>:<show>:<seat>`,
 * so a scanner knows which ticket, show and seat a code claims without any
 * lookup, and which shard to ask whether it is still valid. The signature is
 * made by the signer port over exactly that text; the domain only composes
 * and parses.
 */
export class TicketCode {
  private constructor(
    readonly identity: TicketIdentity,
    readonly signature: string,
  ) {}

  /** The exact text a code's signature covers. */
  static signedText(identity: TicketIdentity): string {
    return [FORMAT, identity.ticketId, identity.showId, identity.seatId].join(':');
  }

  static compose(identity: TicketIdentity, signature: string): TicketCode {
    if (!SIGNATURE.test(signature)) throw new Error('a ticket signature is 43 base64url characters');
    return new TicketCode({ ...identity }, signature);
  }

  /** Reads a code back; anything that is not one of ours is refused, before any lookup. */
  static parse(code: string): Result<TicketCode> {
    const parts = code.trim().split('.');
    if (parts.length !== 2 || !SIGNATURE.test(parts[1])) return fail(violation('malformed-code', 'not a ticket code'));
    const text = Buffer.from(parts[0], 'base64url').toString('utf8');
    // The seat id comes last, so it may contain any character, even ':'.
    const [format, ticketId, showId, ...seat] = text.split(':');
    const seatId = seat.join(':');
    if (format !== FORMAT || !UUID.test(ticketId ?? '') || !UUID.test(showId ?? '') || seatId.length === 0) {
      return fail(violation('malformed-code', 'not a ticket code'));
    }
    // Only the canonical encoding is accepted: one ticket, one code.
    if (Buffer.from(text, 'utf8').toString('base64url') !== parts[0]) return fail(violation('malformed-code', 'not a ticket code'));
    return ok(new TicketCode({ ticketId, showId, seatId }, parts[1]));
  }

  get signedText(): string {
    return TicketCode.signedText(this.identity);
  }

  toString(): string {
    return `${Buffer.from(this.signedText, 'utf8').toString('base64url')}.${this.signature}`;
  }
}
