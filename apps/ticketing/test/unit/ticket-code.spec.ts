import { TicketCode } from '../../src/domain/ticket/ticket-code.value-object.js';
import { HmacTicketSigner } from '../../src/infrastructure/signing/hmac-ticket-signer.js';

const identity = { ticketId: '01960000-0000-7000-8000-000000000011', showId: '01960000-0000-7000-8000-000000000002', seatId: 'A-3-12' };
const signer = HmacTicketSigner.withSecret('a-test-secret-of-some-length');

function issue(id = identity): string {
  return TicketCode.compose(id, signer.sign(TicketCode.signedText(id))).toString();
}

function verifies(code: string): boolean {
  const parsed = TicketCode.parse(code);
  return parsed.ok && signer.verify(parsed.value.signedText, parsed.value.signature);
}

/** Replaces the identity part of a code, keeping its signature. */
function withIdentity(code: string, text: string): string {
  return `${Buffer.from(text).toString('base64url')}.${code.split('.')[1]}`;
}

describe('TicketCode', () => {
  it('names what it is for: ticket, show and seat read back from the code itself', () => {
    const code = issue();
    const parsed = TicketCode.parse(code);
    expect(parsed.ok && parsed.value.identity).toEqual(identity);
    expect(Buffer.from(code.split('.')[0], 'base64url').toString()).toBe(`bxt1:${identity.ticketId}:${identity.showId}:A-3-12`);
    expect(code).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('verifies a code it signed', () => {
    expect(verifies(issue())).toBe(true);
  });

  it('pins the signature to HMAC-SHA256 over the signed text', () => {
    // Computed independently: printf 'bxt1:<ticket>:<show>:A-3-12' | openssl dgst -sha256 -hmac a-test-secret-of-some-length -binary | base64 (url-safe, unpadded)
    expect(signer.sign(TicketCode.signedText(identity))).toBe(EXPECTED_SIGNATURE);
  });

  it('refuses a code whose seat, show or ticket was changed', () => {
    const code = issue();
    expect(verifies(withIdentity(code, `bxt1:${identity.ticketId}:${identity.showId}:A-3-13`))).toBe(false);
    expect(verifies(withIdentity(code, `bxt1:${identity.ticketId}:01960000-0000-7000-8000-000000000003:A-3-12`))).toBe(false);
    expect(verifies(withIdentity(code, `bxt1:01960000-0000-7000-8000-000000000012:${identity.showId}:A-3-12`))).toBe(false);
  });

  it('refuses a code with a changed signature, or signed with another key', () => {
    const code = issue();
    const last = code.at(-2) === 'A' ? 'B' : 'A';
    expect(verifies(`${code.slice(0, -2)}${last}${code.at(-1)}`)).toBe(false);
    // The last character carries two spare bits: another spelling of the same bytes is refused too.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${code.slice(0, -1)}${alphabet[alphabet.indexOf(code.at(-1) ?? 'A') ^ 1]}`;
    expect(Buffer.from(respelled.split('.')[1], 'base64url')).toEqual(Buffer.from(code.split('.')[1], 'base64url'));
    expect(verifies(respelled)).toBe(false);
    const foreign = HmacTicketSigner.withSecret('another-secret-of-some-length');
    const forged = TicketCode.compose(identity, foreign.sign(TicketCode.signedText(identity))).toString();
    expect(verifies(forged)).toBe(false);
  });

  it('keeps a seat id containing separators intact', () => {
    const odd = { ...identity, seatId: 'Balcony:Left-1.2' };
    const parsed = TicketCode.parse(issue(odd));
    expect(parsed.ok && parsed.value.identity).toEqual(odd);
    expect(verifies(issue(odd))).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['hello', 'no signature'],
    ['a.b.c', 'three parts'],
    [`${Buffer.from('bxt1:not-a-uuid:x:A-1-1').toString('base64url')}.${'A'.repeat(43)}`, 'bad ids'],
    [`${Buffer.from(`bxt9:${identity.ticketId}:${identity.showId}:A-1-1`).toString('base64url')}.${'A'.repeat(43)}`, 'unknown format'],
    [`${Buffer.from(`bxt1:${identity.ticketId}:${identity.showId}:`).toString('base64url')}.${'A'.repeat(43)}`, 'no seat'],
  ])('refuses %p (%s) as malformed', (code) => {
    const parsed = TicketCode.parse(code);
    expect(!parsed.ok && parsed.error.code).toBe('malformed-code');
  });

  it('still verifies the codes of tickets issued before a rollover, under TICKET_PREVIOUS_SIGNING_SECRET, and signs new ones with the new secret', () => {
    const code = issue();
    const rolled = HmacTicketSigner.fromEnv({ TICKET_SIGNING_SECRET: 'the-new-ticket-secret-2027', TICKET_PREVIOUS_SIGNING_SECRET: 'a-test-secret-of-some-length' });
    const parsed = TicketCode.parse(code);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(rolled.verify(parsed.value.signedText, parsed.value.signature)).toBe(true);
    expect(rolled.sign(parsed.value.signedText)).toBe(HmacTicketSigner.withSecret('the-new-ticket-secret-2027').sign(parsed.value.signedText));
    // Once the previous secret is gone, so are the codes it signed.
    expect(HmacTicketSigner.withSecret('the-new-ticket-secret-2027').verify(parsed.value.signedText, parsed.value.signature)).toBe(false);
  });

  it('refuses a previous secret that is short or the same as the current one', () => {
    expect(() => HmacTicketSigner.fromEnv({ TICKET_SIGNING_SECRET: 'the-new-ticket-secret-2027', TICKET_PREVIOUS_SIGNING_SECRET: 'short' })).toThrow(/TICKET_PREVIOUS_SIGNING_SECRET/);
    expect(() => HmacTicketSigner.fromEnv({ TICKET_SIGNING_SECRET: 'the-new-ticket-secret-2027', TICKET_PREVIOUS_SIGNING_SECRET: 'the-new-ticket-secret-2027' })).toThrow(/TICKET_PREVIOUS_SIGNING_SECRET/);
  });

  it('refuses a signing secret that is missing or short, naming the setting', () => {
    expect(() => HmacTicketSigner.fromEnv({})).toThrow(/TICKET_SIGNING_SECRET/);
    expect(() => HmacTicketSigner.withSecret('short')).toThrow(/TICKET_SIGNING_SECRET/);
  });
});

const EXPECTED_SIGNATURE = '23Buq7aRaeKKOf4edYlt84nj4qSu1sQiviz5Qnm-O00';
