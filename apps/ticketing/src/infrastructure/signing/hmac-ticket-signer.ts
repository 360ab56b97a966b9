import { createHmac, timingSafeEqual } from 'node:crypto';
import { TicketSigner } from '../../application/ports/ticket-signer.port.js';

/**
 * HMAC-SHA256 with the ticketing secret; a code cannot be forged or altered
 * without it. During a rollover the secret being retired
 * (`TICKET_PREVIOUS_SIGNING_SECRET`) still verifies the codes it signed, so
 * tickets already in customers' hands keep working; new codes are signed
 * with `TICKET_SIGNING_SECRET` only.
 */
export class HmacTicketSigner extends TicketSigner {
  private constructor(
    private readonly secret: Buffer,
    private readonly previous?: Buffer,
  ) {
    super();
  }

  static fromEnv(env: NodeJS.ProcessEnv): HmacTicketSigner {
    const secret = env.TICKET_SIGNING_SECRET ?? '';
    if (secret.length < 16) throw new Error('Missing or too short setting TICKET_SIGNING_SECRET (the key that signs ticket codes, at least 16 characters)');
    const previous = env.TICKET_PREVIOUS_SIGNING_SECRET || undefined;
    if (previous !== undefined && (previous.length < 16 || previous === secret)) {
      throw new Error('Setting TICKET_PREVIOUS_SIGNING_SECRET must be the secret being retired: at least 16 characters, and not TICKET_SIGNING_SECRET');
    }
    return new HmacTicketSigner(Buffer.from(secret, 'utf8'), previous === undefined ? undefined : Buffer.from(previous, 'utf8'));
  }

  static withSecret(secret: string): HmacTicketSigner {
    return HmacTicketSigner.fromEnv({ TICKET_SIGNING_SECRET: secret });
  }

  sign(text: string): string {
    return createHmac('sha256', this.secret).update(text, 'utf8').digest('base64url');
  }

  verify(text: string, signature: string): boolean {
    const given = Buffer.from(signature, 'base64url');
    // Only the canonical spelling counts (base64url leaves spare bits in the last character).
    if (given.toString('base64url') !== signature) return false;
    return [this.secret, this.previous].some((secret) => secret !== undefined && matches(secret, text, given));
  }
}

function matches(secret: Buffer, text: string, given: Buffer): boolean {
  const expected = createHmac('sha256', secret).update(text, 'utf8').digest();
  // Constant time, so response timing does not leak how much of a forged signature was right.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
