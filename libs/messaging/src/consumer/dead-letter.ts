import type { HeaderValue, OutgoingMessage } from '../message-publisher.port.js';
import type { Delivery } from './delivery.js';

/**
 * The headers a dead letter carries besides the original's own. Every name
 * starts with `boxoffice-dlq-`; they follow the original headers, so a
 * reader that finds one of these names twice takes the last value.
 */
export const DeadLetterHeaders = {
  reason: 'boxoffice-dlq-reason',
  topic: 'boxoffice-dlq-topic',
  partition: 'boxoffice-dlq-partition',
  offset: 'boxoffice-dlq-offset',
  group: 'boxoffice-dlq-group',
  attempts: 'boxoffice-dlq-attempts',
  /** The original headers whose value was null, as a JSON array of names (see `deadLetterOf`). */
  nullHeaders: 'boxoffice-dlq-null-headers',
} as const;

/** Longest reason kept, in bytes: the dead letter's own headers stay small and bounded (see ADR 0019). */
export const MAX_REASON_BYTES = 1024;

export interface DeadLetterCause {
  reason: string;
  /** The consumer group that gave up on the message. */
  group: string;
  /** Handler runs before giving up; 0 when the message never reached the handler. */
  attempts: number;
}

/**
 * The dead letter of a delivery: the original key, value and headers exactly
 * as the broker delivered them (bytes, never decoded or re-serialised; a null
 * key or value stays null), with where it came from and why it was given up
 * added as headers. Nothing is truncated but the reason. One exception:
 * kafkajs cannot write a header whose value is null (it fails to size it), so
 * such a value is carried as empty bytes and its name listed in
 * `boxoffice-dlq-null-headers`, which is all a replay needs to restore it.
 */
export function deadLetterOf(deadLetterTopic: string, delivery: Delivery, cause: DeadLetterCause): OutgoingMessage {
  const added: Record<string, string> = {
    [DeadLetterHeaders.reason]: truncateUtf8(cause.reason, MAX_REASON_BYTES),
    [DeadLetterHeaders.topic]: delivery.topic,
    [DeadLetterHeaders.partition]: String(delivery.partition),
    [DeadLetterHeaders.offset]: delivery.offset,
    [DeadLetterHeaders.group]: cause.group,
    [DeadLetterHeaders.attempts]: String(cause.attempts),
  };
  const headers: Record<string, HeaderValue> = {};
  const nullHeaders: string[] = [];
  for (const [name, value] of Object.entries(delivery.headers)) {
    if (value === undefined) continue;
    const values = asList(value);
    if (values.includes(null)) nullHeaders.push(name);
    const written = values.map((v) => v ?? EMPTY);
    headers[name] = Array.isArray(value) ? written : written[0];
  }
  if (nullHeaders.length > 0) added[DeadLetterHeaders.nullHeaders] = JSON.stringify(nullHeaders);
  for (const [name, value] of Object.entries(added)) headers[name] = name in headers ? [...asList(headers[name]), value] : value;
  return { topic: deadLetterTopic, key: delivery.key, value: delivery.value, headers };
}

const EMPTY = Buffer.alloc(0);

function asList(value: HeaderValue): (Buffer | string | null)[] {
  if (Array.isArray(value)) return value;
  return value === undefined ? [] : [value];
}

/** Cuts at a character boundary, so the header stays valid UTF-8. */
function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  return new TextDecoder('utf-8').decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD$/, '');
}
