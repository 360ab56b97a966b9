/** A header's value as Kafka carries it: bytes (or text), several when the name repeats, or null. */
export type HeaderValue = Buffer | string | null | undefined | (Buffer | string | null)[];

/** A message ready for the broker. */
export interface OutgoingMessage {
  topic: string;
  /**
   * Partitioning key: the aggregate id, so one aggregate's messages stay in
   * order. Bytes and null only for a dead letter, which keeps the original's.
   */
  key: string | Buffer | null;
  /** Our messages are JSON text; a dead letter carries the original bytes, or null. */
  value: string | Buffer | null;
  headers?: Record<string, HeaderValue>;
}

/**
 * The port the outbox relay and the dead-letter path publish through. It
 * resolves only once the broker has acknowledged every message (acks=all), so
 * a caller may then mark them sent. kafkajs sits behind it.
 */
export abstract class MessagePublisher {
  abstract publish(messages: OutgoingMessage[]): Promise<void>;
}
