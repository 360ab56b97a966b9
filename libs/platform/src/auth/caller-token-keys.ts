import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { NamedKey } from './caller-token.js';

/**
 * The caller-token keys in settings, one line each so they fit any env file:
 * `<key id>:<base64 DER>`, the private key as PKCS#8, the public keys as
 * SPKI, all ECDSA P-256 (docs/deployment.md shows the openssl commands).
 *
 *   CALLER_TOKEN_SIGNING_KEY   the gateway only: the key it signs with
 *   CALLER_TOKEN_PUBLIC_KEYS   every app: the keys tokens may be signed with,
 *                              comma-separated; two during a rollover
 */
export const SIGNING_KEY_SETTING = 'CALLER_TOKEN_SIGNING_KEY';
export const PUBLIC_KEYS_SETTING = 'CALLER_TOKEN_PUBLIC_KEYS';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function signingKeyFromEnv(env: NodeJS.ProcessEnv = process.env): NamedKey {
  const [id, der] = namedValue(env[SIGNING_KEY_SETTING], SIGNING_KEY_SETTING);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error(`Setting ${SIGNING_KEY_SETTING}: the key ${id} is not a base64 PKCS#8 DER private key`);
  }
  requireP256(key, `${SIGNING_KEY_SETTING} (${id})`);
  return { id, key };
}

export function publicKeysFromEnv(env: NodeJS.ProcessEnv = process.env): NamedKey[] {
  const entries = (env[PUBLIC_KEYS_SETTING] ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error(`Missing setting ${PUBLIC_KEYS_SETTING} (comma-separated <key id>:<base64 SPKI DER> public keys of the gateway's caller tokens)`);
  const keys = entries.map((entry) => {
    const [id, der] = namedValue(entry, PUBLIC_KEYS_SETTING);
    let key: KeyObject;
    try {
      key = createPublicKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'spki' });
    } catch {
      throw new Error(`Setting ${PUBLIC_KEYS_SETTING}: the key ${id} is not a base64 SPKI DER public key`);
    }
    requireP256(key, `${PUBLIC_KEYS_SETTING} (${id})`);
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  if (new Set(ids).size !== ids.length) throw new Error(`Setting ${PUBLIC_KEYS_SETTING} names a key id twice`);
  return keys;
}

/**
 * Refuses a signing key that no verifier would accept under its id: caught
 * at the gateway's boot instead of as a 401 on every request.
 */
export function requireAcceptedSigningKey(signing: NamedKey, accepted: NamedKey[]): void {
  const match = accepted.find((k) => k.id === signing.id);
  const own = createPublicKey(signing.key).export({ format: 'der', type: 'spki' });
  if (!match || !match.key.export({ format: 'der', type: 'spki' }).equals(own)) {
    throw new Error(`Setting ${SIGNING_KEY_SETTING}: key ${signing.id} is not among ${PUBLIC_KEYS_SETTING} (add its public key there first)`);
  }
}

/** A fresh key pair in the settings' format: for the local stack and tests. */
export function generateCallerTokenKeys(id: string): { signingKey: string; publicKey: string } {
  if (!KEY_ID.test(id)) throw new Error(`invalid key id ${id}`);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    signingKey: `${id}:${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
    publicKey: `${id}:${publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`,
  };
}

function namedValue(value: string | undefined, setting: string): [string, string] {
  const separator = value?.indexOf(':') ?? -1;
  if (!value || separator < 0) throw new Error(`Missing or invalid setting ${setting} (<key id>:<base64 DER key>)`);
  const id = value.slice(0, separator).trim();
  if (!KEY_ID.test(id)) throw new Error(`Setting ${setting}: key id must be 1-64 letters, digits, dots, dashes or underscores`);
  return [id, value.slice(separator + 1).trim()];
}

function requireP256(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error(`Setting ${what}: the key must be ECDSA P-256 (ES256)`);
}
