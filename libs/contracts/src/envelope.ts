import { z } from 'zod';
import { Text } from './shared-schemas.js';

/**
 * The one envelope every Kafka message travels in. The Kafka key is always
 * `aggregateId`, so one aggregate's messages share a partition and stay in
 * order; `aggregateVersion` lets consumers tell old from new without clocks.
 */
export const EnvelopeSchema = z.object({
  /** UUIDv7; consumers deduplicate on it (inbox), never on offsets. */
  messageId: z.uuid(),
  /** Contract name without version, e.g. `catalog.show-published`. */
  type: Text.min(1),
  schemaVersion: z.number().int().positive(),
  aggregateId: Text.min(1),
  aggregateVersion: z.number().int().nonnegative(),
  /** The business flow this message belongs to (e.g. the admin request or the order). */
  correlationId: Text.min(1),
  /** The message (or request) that caused this one; null for a flow's first message. */
  causationId: Text.min(1).nullable(),
  producer: z.object({ service: Text, instance: Text }),
  /** The producer's wall clock, for humans reading logs; never used for ordering. */
  producedAt: Text,
  /** W3C trace context of the producing span, when there is one. */
  traceparent: Text.optional(),
  payload: z.unknown(),
});

export type Envelope<TPayload = unknown> = Omit<z.infer<typeof EnvelopeSchema>, 'payload'> & { payload: TPayload };
