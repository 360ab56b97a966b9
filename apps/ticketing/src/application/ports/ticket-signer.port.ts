/** Signs and checks the text a ticket code vouches for; the key never leaves the adapter. */
export abstract class TicketSigner {
  /** A base64url signature of `text`. */
  abstract sign(text: string): string;
  abstract verify(text: string, signature: string): boolean;
}
