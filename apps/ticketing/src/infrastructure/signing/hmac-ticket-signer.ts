import { createHmac, timingSafeEqual } from 'node:crypto';
import { TicketSigner } from '../../application/ports/ticket-signer.port.js';

/** HMAC-SHA256 with the ticketing secret; a code cannot be forged or altered without it. */
export class HmacTicketSigner extends TicketSigner {
  private constructor(private readonly secret: Buffer) {
    super();
  }

  static fromEnv(env: NodeJS.ProcessEnv): HmacTicketSigner {
    const secret = env.TICKET_SIGNING_SECRET ?? '';
    if (secret.length < 16) throw new Error('Missing or too short setting TICKET_SIGNING_SECRET (the key that signs ticket codes, at least 16 characters)');
    return new HmacTicketSigner(Buffer.from(secret, 'utf8'));
  }

  static withSecret(secret: string): HmacTicketSigner {
    return HmacTicketSigner.fromEnv({ TICKET_SIGNING_SECRET: secret });
  }

  sign(text: string): string {
    return createHmac('sha256', this.secret).update(text, 'utf8').digest('base64url');
  }

  verify(text: string, signature: string): boolean {
    const expected = createHmac('sha256', this.secret).update(text, 'utf8').digest();
    const given = Buffer.from(signature, 'base64url');
    // Only the canonical spelling counts (base64url leaves spare bits in the last character).
    if (given.length !== expected.length || given.toString('base64url') !== signature) return false;
    // Constant time, so response timing does not leak how much of a forged signature was right.
    return timingSafeEqual(given, expected);
  }
}
