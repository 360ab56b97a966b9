import { JwtService } from '@nestjs/jwt';
import {
  CALLER_TOKEN_LIFETIME_SECONDS,
  CallerTokenRejected,
  CallerTokenSigner,
  CallerTokenVerifier,
  CLOCK_TOLERANCE_SECONDS,
  type SignedRequest,
} from '../../src/auth/caller-token.js';
import { generateCallerTokenKeys, publicKeysFromEnv, requireAcceptedSigningKey, signingKeyFromEnv } from '../../src/auth/caller-token-keys.js';

/** A standard JWT library (the gateway's own, @nestjs/jwt over jsonwebtoken): tokens made or read outside our code. */
const jwt = new JwtService();

/**
 * The gateway's caller tokens (ADR 0017): what a context accepts and what it
 * refuses. Each refusal is a way to act without the gateway's say-so.
 */
const current = generateCallerTokenKeys('key-2');
const previous = generateCallerTokenKeys('key-1');
const stranger = generateCallerTokenKeys('key-2');
const signingKey = (keys: { signingKey: string }) => signingKeyFromEnv({ CALLER_TOKEN_SIGNING_KEY: keys.signingKey });
const publicKeys = (...keys: { publicKey: string }[]) => publicKeysFromEnv({ CALLER_TOKEN_PUBLIC_KEYS: keys.map((k) => k.publicKey).join(',') });

const T0 = Date.UTC(2027, 2, 1, 20, 0, 0);
const alice = { id: 'alice', email: 'alice@example.test', role: 'customer' as const };
const refund: SignedRequest = { audience: 'ordering', method: 'POST', path: '/orders/0192f3a0-0000-7000-8000-000000000001/refund', principal: alice };
const asReceived = { method: refund.method, path: refund.path };

const signedAt = (millis: number, keys = current) => new CallerTokenSigner(signingKey(keys), () => millis);
const verifierAt = (millis: number, ...keys: { publicKey: string }[]) => new CallerTokenVerifier('ordering', publicKeys(...(keys.length ? keys : [current])), () => millis);

function refusal(verify: () => unknown): string {
  try {
    verify();
  } catch (error) {
    if (error instanceof CallerTokenRejected) return error.detail;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('caller tokens', () => {
  it('carry the principal to the context they are for, for the request they were issued for', () => {
    const token = signedAt(T0).sign({ ...refund, body: '{"a":1}' });
    const caller = verifierAt(T0).verify(token, asReceived);
    expect(caller.principal).toEqual(alice);
    expect(caller.bodyDigest).toMatch(/^[\w-]{43}$/);
  });

  it('carry no principal for an anonymous request', () => {
    const token = signedAt(T0).sign({ audience: 'catalog', method: 'GET', path: '/shows?status=published', principal: null });
    const caller = new CallerTokenVerifier('catalog', publicKeys(current), () => T0).verify(token, { method: 'GET', path: '/shows?status=published' });
    expect(caller).toEqual({ principal: null, bodyDigest: null });
  });

  it('are refused when signed with a key the context does not hold, even under a known key id', () => {
    expect(refusal(() => verifierAt(T0).verify(signedAt(T0, stranger).sign(refund), asReceived))).toMatch(/bad signature/);
    expect(refusal(() => verifierAt(T0, previous).verify(signedAt(T0).sign(refund), asReceived))).toMatch(/does not accept/);
  });

  it('are refused for another context (audience)', () => {
    const forPayments = signedAt(T0).sign({ ...refund, audience: 'payments' });
    expect(refusal(() => verifierAt(T0).verify(forPayments, asReceived))).toMatch(/for payments, not ordering/);
  });

  it('are refused for another method, path or query', () => {
    const token = signedAt(T0).sign(refund);
    expect(refusal(() => verifierAt(T0).verify(token, { ...asReceived, method: 'GET' }))).toMatch(/another request/);
    expect(refusal(() => verifierAt(T0).verify(token, { ...asReceived, path: '/orders/0192f3a0-0000-7000-8000-000000000002/refund' }))).toMatch(/another request/);
    expect(refusal(() => verifierAt(T0).verify(token, { ...asReceived, path: `${refund.path}?customerId=bob` }))).toMatch(/another request/);
  });

  it('are refused once expired, allowing for a clock skew of CLOCK_TOLERANCE_SECONDS either way', () => {
    const token = signedAt(T0).sign(refund);
    const expiry = T0 + CALLER_TOKEN_LIFETIME_SECONDS * 1000;
    // The verifier's clock behind or ahead of the gateway's by up to the tolerance: still valid.
    expect(verifierAt(T0 - CLOCK_TOLERANCE_SECONDS * 1000).verify(token, asReceived).principal).toEqual(alice);
    expect(verifierAt(expiry + CLOCK_TOLERANCE_SECONDS * 1000).verify(token, asReceived).principal).toEqual(alice);
    expect(refusal(() => verifierAt(expiry + (CLOCK_TOLERANCE_SECONDS + 1) * 1000).verify(token, asReceived))).toMatch(/expired/);
    expect(refusal(() => verifierAt(T0 - (CLOCK_TOLERANCE_SECONDS + 1) * 1000).verify(token, asReceived))).toMatch(/not valid yet/);
  });

  it('are refused when they claim a long life, whoever signed them', () => {
    const token = jwt.sign({ iss: 'gateway', aud: 'ordering', iat: T0 / 1000, exp: T0 / 1000 + 3600, htm: 'POST', htu: refund.path }, { privateKey: signingKey(current).key, algorithm: 'ES256', keyid: 'key-2' });
    expect(refusal(() => verifierAt(T0).verify(token, asReceived))).toMatch(/invalid lifetime/);
  });

  it('are accepted under either key during a rollover, and only under those', () => {
    const verifier = verifierAt(T0, previous, current);
    expect(verifier.verify(signedAt(T0, previous).sign(refund), asReceived).principal).toEqual(alice);
    expect(verifier.verify(signedAt(T0, current).sign(refund), asReceived).principal).toEqual(alice);
    expect(refusal(() => verifierAt(T0, current).verify(signedAt(T0, previous).sign(refund), asReceived))).toMatch(/does not accept/);
  });

  it('are refused with another algorithm: none, or an HMAC keyed with the public key', () => {
    const claims = { iss: 'gateway', aud: 'ordering', iat: T0 / 1000, exp: T0 / 1000 + 30, htm: 'POST', htu: refund.path, sub: 'mallory', email: 'm@example.test', role: 'admin' };
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'key-2' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expect(refusal(() => verifierAt(T0).verify(unsigned, asReceived))).toMatch(/ES256/);
    const publicKeyBytes = Buffer.from(current.publicKey.split(':')[1]!, 'base64');
    const confused = jwt.sign(claims, { secret: publicKeyBytes, algorithm: 'HS256', keyid: 'key-2' });
    expect(refusal(() => verifierAt(T0).verify(confused, asReceived))).toMatch(/ES256/);
    expect(refusal(() => verifierAt(T0).verify('not.a-token', asReceived))).toMatch(/not a signed JWT/);
  });

  it('are refused when they name half a principal', () => {
    const token = jwt.sign({ iss: 'gateway', aud: 'ordering', iat: T0 / 1000, exp: T0 / 1000 + 30, htm: 'POST', htu: refund.path, role: 'admin' }, { privateKey: signingKey(current).key, algorithm: 'ES256', keyid: 'key-2' });
    expect(refusal(() => verifierAt(T0).verify(token, asReceived))).toMatch(/incomplete principal/);
  });

  it('are standard JWTs: a standard JWT library verifies ours', () => {
    const token = signedAt(Date.now()).sign(refund);
    const publicKey = publicKeys(current)[0]!.key;
    expect(jwt.verify(token, { publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(), algorithms: ['ES256'], audience: 'ordering', issuer: 'gateway' })).toMatchObject({ sub: 'alice', role: 'customer', htm: 'POST', htu: refund.path });
  });
});

describe('caller token keys', () => {
  it('refuse a gateway signing key that the contexts would not accept', () => {
    expect(() => requireAcceptedSigningKey(signingKey(current), publicKeys(previous, current))).not.toThrow();
    expect(() => requireAcceptedSigningKey(signingKey(current), publicKeys(previous))).toThrow(/CALLER_TOKEN_SIGNING_KEY: key key-2 is not among CALLER_TOKEN_PUBLIC_KEYS/);
    expect(() => requireAcceptedSigningKey(signingKey(stranger), publicKeys(current))).toThrow(/not among/);
  });

  it('name the setting when missing or malformed', () => {
    expect(() => publicKeysFromEnv({})).toThrow(/CALLER_TOKEN_PUBLIC_KEYS/);
    expect(() => signingKeyFromEnv({ CALLER_TOKEN_SIGNING_KEY: 'key-1:bm90LWEta2V5' })).toThrow(/CALLER_TOKEN_SIGNING_KEY: the key key-1 is not/);
    expect(() => publicKeysFromEnv({ CALLER_TOKEN_PUBLIC_KEYS: `${current.publicKey},${current.publicKey}` })).toThrow(/twice/);
    // A private key where the public ones go is refused too.
    expect(() => publicKeysFromEnv({ CALLER_TOKEN_PUBLIC_KEYS: current.signingKey })).toThrow(/CALLER_TOKEN_PUBLIC_KEYS/);
  });
});
