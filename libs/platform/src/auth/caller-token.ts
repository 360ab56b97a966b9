import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Principal } from './principal.js';

/**
 * The gateway's proof, on every request it sends to a context, that the
 * request comes from it and for whom: a JWT (RFC 7519) signed with ES256,
 * carried in the `Authorization: Bearer` header. Contexts hold only the
 * public keys, so a context (or anything that reaches its port) cannot mint
 * one. It names the context it is for (`aud`), the one request it allows
 * (`htm` method, `htu` path and query, `bdh` the SHA-256 of the body) and
 * the end user (`sub`, `email`, `role`; absent for an anonymous request),
 * and lives `CALLER_TOKEN_LIFETIME_SECONDS`. ADR 0017 says why this and not
 * mTLS or a shared secret.
 */
export const CALLER_TOKEN_ISSUER = 'gateway';

/** How long a token is valid for by the issuer's clock: long enough to cross one network hop and a retry. */
export const CALLER_TOKEN_LIFETIME_SECONDS = 30;

/**
 * How far the verifier's clock may be from the issuer's, either way, before
 * a fresh token looks expired or not yet valid. NTP keeps hosts within
 * milliseconds; this covers a host whose clock sync broke for a while, as
 * the fault suite's clock-skew scenario does (minutes). A larger skew fails
 * closed (401) and the log says by how much.
 */
export const CLOCK_TOLERANCE_SECONDS = 600;

/** Tokens claiming to live longer than this are refused, whoever signed them. */
const MAX_LIFETIME_SECONDS = 60;

/** A bound on what a verifier parses at all. */
const MAX_TOKEN_LENGTH = 4096;

const ALGORITHM = 'ES256';

/** ECDSA P-256 signatures in JWS are r‖s (IEEE P1363), not DER. */
const SIGNATURE_ENCODING = 'ieee-p1363';

export interface SignedRequest {
  /** The context the request goes to. */
  audience: string;
  method: string;
  /** Path and query exactly as sent on the request line. */
  path: string;
  /** The exact bytes of the body, if any. */
  body?: string | Uint8Array;
  /** The end user, or null for an anonymous request. */
  principal: Principal | null;
}

export interface VerifiedCaller {
  /** The end user the gateway authenticated, or null for an anonymous request. */
  principal: Principal | null;
  /** The base64url SHA-256 of the body the token was issued for, or null for none. */
  bodyDigest: string | null;
}

/** Why a token was refused; `detail` may be shown to the caller, `log` only to operators. */
export class CallerTokenRejected extends Error {
  constructor(
    readonly detail: string,
    readonly log: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'CallerTokenRejected';
  }
}

/** A key and the id that names it in a token's `kid` header, so verifiers can hold two during a rollover. */
export interface NamedKey {
  id: string;
  key: KeyObject;
}

/** The base64url SHA-256 of a body, as the `bdh` claim carries it. */
export function bodyDigest(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

export class CallerTokenSigner {
  private readonly encodedHeader: string;

  constructor(
    private readonly signingKey: NamedKey,
    private readonly now: () => number = Date.now,
  ) {
    this.encodedHeader = encode({ alg: ALGORITHM, typ: 'JWT', kid: signingKey.id });
  }

  get keyId(): string {
    return this.signingKey.id;
  }

  sign(request: SignedRequest): string {
    const issuedAt = Math.floor(this.now() / 1000);
    const principal = request.principal;
    const claims = {
      iss: CALLER_TOKEN_ISSUER,
      aud: request.audience,
      iat: issuedAt,
      exp: issuedAt + CALLER_TOKEN_LIFETIME_SECONDS,
      htm: request.method.toUpperCase(),
      htu: request.path,
      ...(request.body === undefined || request.body.length === 0 ? {} : { bdh: bodyDigest(request.body) }),
      ...(principal ? { sub: principal.id, email: principal.email, role: principal.role } : {}),
    };
    const input = `${this.encodedHeader}.${encode(claims)}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.signingKey.key, dsaEncoding: SIGNATURE_ENCODING });
    return `${input}.${signature.toString('base64url')}`;
  }
}

const Header = z.object({ alg: z.literal(ALGORITHM), kid: z.string() });

const Claims = z.object({
  iss: z.literal(CALLER_TOKEN_ISSUER),
  aud: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
  htm: z.string(),
  htu: z.string(),
  bdh: z.string().optional(),
  sub: z.string().min(1).max(100).optional(),
  email: z.email().optional(),
  role: z.enum(ROLES as [Principal['role'], ...Principal['role'][]]).optional(),
});

export class CallerTokenVerifier {
  private readonly keys: Map<string, KeyObject>;

  constructor(
    /** This service: tokens for any other audience are refused. */
    private readonly audience: string,
    keys: NamedKey[],
    private readonly now: () => number = Date.now,
  ) {
    if (keys.length === 0) throw new Error('a caller token verifier needs at least one public key');
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The caller of this request (method and path-with-query as received), or CallerTokenRejected. */
  verify(token: string, request: { method: string; path: string }): VerifiedCaller {
    if (token.length > MAX_TOKEN_LENGTH) throw new CallerTokenRejected('the caller token is too long');
    const parts = token.split('.');
    if (parts.length !== 3) throw new CallerTokenRejected('the caller token is not a signed JWT');
    const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
    const header = Header.safeParse(decode(encodedHeader));
    if (!header.success) throw new CallerTokenRejected(`the caller token must be signed with ${ALGORITHM} and name its key`);
    const key = this.keys.get(header.data.kid);
    if (!key) throw new CallerTokenRejected('the caller token is signed with a key this service does not accept', { kid: header.data.kid });
    const signed = verify('sha256', Buffer.from(`${encodedHeader}.${encodedClaims}`), { key, dsaEncoding: SIGNATURE_ENCODING }, Buffer.from(encodedSignature, 'base64url'));
    if (!signed) throw new CallerTokenRejected('the caller token has a bad signature', { kid: header.data.kid });
    const parsed = Claims.safeParse(decode(encodedClaims));
    if (!parsed.success) throw new CallerTokenRejected('the caller token has invalid claims');
    const claims = parsed.data;
    if (claims.aud !== this.audience) throw new CallerTokenRejected(`the caller token is for ${claims.aud}, not ${this.audience}`);
    if (claims.htm !== request.method.toUpperCase() || claims.htu !== request.path) {
      throw new CallerTokenRejected('the caller token was issued for another request', { issuedFor: `${claims.htm} ${claims.htu}` });
    }
    this.checkTimes(claims.iat, claims.exp);
    return { principal: principalOf(claims), bodyDigest: claims.bdh ?? null };
  }

  private checkTimes(issuedAt: number, expiresAt: number): void {
    if (expiresAt < issuedAt || expiresAt - issuedAt > MAX_LIFETIME_SECONDS) throw new CallerTokenRejected('the caller token has an invalid lifetime');
    const now = this.now() / 1000;
    // Both bounds with the tolerance: the issuer's clock may be ahead or behind ours.
    if (now > expiresAt + CLOCK_TOLERANCE_SECONDS) throw new CallerTokenRejected('the caller token has expired', { secondsPastExpiry: Math.round(now - expiresAt) });
    if (issuedAt > now + CLOCK_TOLERANCE_SECONDS) throw new CallerTokenRejected('the caller token is not valid yet', { issuerAheadBySeconds: Math.round(issuedAt - now) });
  }
}

function principalOf(claims: z.infer<typeof Claims>): Principal | null {
  if (claims.sub === undefined && claims.email === undefined && claims.role === undefined) return null;
  if (claims.sub === undefined || claims.email === undefined || claims.role === undefined) throw new CallerTokenRejected('the caller token names an incomplete principal');
  return { id: claims.sub, email: claims.email, role: claims.role };
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
