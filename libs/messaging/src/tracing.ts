import { SpanKind, type Span, type Context } from '@opentelemetry/api';
import type { Envelope } from '@boxoffice/contracts';
import { contextOf, inSpan, tracer } from '@boxoffice/observability';

/**
 * The messaging hops of a trace, after OpenTelemetry's messaging semantic
 * conventions. A message carries its trace in the W3C `traceparent` Kafka
 * header; the outbox row keeps it from the transaction that staged the
 * message to the relay that publishes it (ADR 0034).
 */
export const TRACEPARENT_HEADER = 'traceparent';

/** A `publish <topic>` span for one relayed message, child of the trace that staged it; the caller ends it. */
export function startPublishSpan(topic: string, key: string, messageId: string, stagedIn: string | null): Span {
  return tracer().startSpan(
    `publish ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        'messaging.destination.name': topic,
        'messaging.kafka.message.key': key,
        'messaging.message.id': messageId,
      },
    },
    contextOf(stagedIn),
  );
}

/** The `traceparent` that continues the trace from `span` (null for a span that is not recording). */
export function traceparentOf(span: Span): string | null {
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!span.isRecording()) return null;
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}

export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  traceparent: string | null;
}

/** Runs the handling of one consumed message in a `process <topic>` span, child of the hop that published it. */
export function inProcessSpan<T>(group: string, message: ReceivedMessage, work: (span: Span) => Promise<T>): Promise<T> {
  const parent: Context = contextOf(message.traceparent);
  return inSpan(
    `process ${message.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': message.topic,
        'messaging.destination.partition.id': String(message.partition),
        'messaging.consumer.group.name': group,
        'messaging.kafka.offset': Number(message.offset),
        ...(message.key ? { 'messaging.kafka.message.key': message.key.toString('utf8') } : {}),
      },
    },
    parent,
    work,
  );
}

/** Names the flow on the active span: searching a trace store for the order id (the correlation id) finds its trace. */
export function describeMessage(span: Span, envelope: Envelope): void {
  span.setAttributes({
    'messaging.message.id': envelope.messageId,
    'messaging.message.conversation_id': envelope.correlationId,
    'boxoffice.message.type': envelope.type,
  });
}
