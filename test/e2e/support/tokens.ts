import { createHmac } from 'node:crypto';
import { LOCAL_JWT_SECRET } from '../../../tools/stack/app-env.js';

/**
 * A bearer token signed as the local stack's gateway signs its demo tokens
 * (HS256, its JWT_SECRET), with any claims: for the tokens the demo route
 * never hands out, such as one that expired an hour ago.
 */
export function signedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', LOCAL_JWT_SECRET).update(unsigned).digest('base64url')}`;
}

/** A customer's token that expired `agoSeconds` ago. */
export function expiredCustomerToken(username: string, agoSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  return signedToken({ sub: username, email: `${username}@example.test`, role: 'customer', iat: now - agoSeconds - 3600, exp: now - agoSeconds });
}
