import { readFileSync } from 'node:fs';
import { CallerTokenSigner, signingKeyFromEnv, type NamedKey, type Principal } from '@boxoffice/platform';
import { HttpClient } from './http-client.js';
import type { RunningStackInfo } from './running-stack.js';

/** The principal of operations and tests that call a context directly: an admin. */
export const OPERATOR: Principal = { id: 'operations', email: 'operations@example.test', role: 'admin' };

/** The key the test stack's gateway signs caller tokens with (the launcher keeps it in the state dir). */
export function stackSigningKey(stack: RunningStackInfo): NamedKey {
  const keys = JSON.parse(readFileSync(stack.callerTokenKeys, 'utf8')) as { signingKey: string };
  return signingKeyFromEnv({ CALLER_TOKEN_SIGNING_KEY: keys.signingKey });
}

/**
 * An HTTP client for one context of the test stack that calls it as the
 * gateway would: every request carries a fresh caller token for that
 * context, that request and `as` (default: OPERATOR, an admin; null: an
 * anonymous request).
 */
export function contextClient(stack: RunningStackInfo, app: string, { as = OPERATOR, replica = 0 }: { as?: Principal | null; replica?: number } = {}): HttpClient {
  const instance = stack.apps[app]?.[replica];
  if (!instance) throw new Error(`the test stack runs no ${app} replica ${replica}`);
  const signer = new CallerTokenSigner(stackSigningKey(stack));
  return new HttpClient(instance.url, (method, url, body) => ({
    authorization: `Bearer ${signer.sign({ audience: app, method, path: `${url.pathname}${url.search}`, body, principal: as })}`,
  }));
}
