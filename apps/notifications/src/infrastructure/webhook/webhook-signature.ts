import { createHmac } from 'node:crypto';

/**
 * `X-Boxoffice-Signature`: `sha256=` and the hex HMAC-SHA256 of
 * `<timestamp>.<body>` under the webhook secret. The timestamp is inside the
 * signed text, so a receiver that also checks it is recent cannot be fed an
 * old request again.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}
