import type { HeaderValue } from '../message-publisher.port.js';

/**
 * One message as the transport delivered it, with what a consumer needs to
 * know about where it came from. The key, value and headers are the broker's
 * bytes, untouched: the consumer parses the value itself, and a dead letter
 * carries exactly what arrived.
 */
export interface Delivery {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  /** Null for a record without a value (a tombstone). */
  value: Buffer | null;
  headers: Record<string, HeaderValue>;
  /** Keeps the consumer-group membership alive during a long handler. */
  heartbeat(): Promise<void>;
}
