import { createHmac } from 'node:crypto';

/**
 * One signature: `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<body>`
 * under the webhook secret. The timestamp is inside the signed text, so a
 * receiver that also checks it is recent cannot be fed an old request again.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * `X-Boxoffice-Signature`: one signature per signing secret, the current one
 * first, separated by `, `. Outside a rollover there is one; during one, the
 * previous secret's follows, so a receiver still holding the old secret and
 * one that already switched both find a signature they can check.
 */
export function webhookSignatures(secrets: readonly string[], timestamp: string, body: string): string {
  return secrets.map((secret) => webhookSignature(secret, timestamp, body)).join(', ');
}
