/** A message ready for the broker. */
export interface OutgoingMessage {
  topic: string;
  /** Partitioning key: the aggregate id, so one aggregate's messages stay in order. */
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/**
 * The port the outbox relay and the dead-letter path publish through. It
 * resolves only once the broker has acknowledged every message (acks=all), so
 * a caller may then mark them sent. kafkajs sits behind it.
 */
export abstract class MessagePublisher {
  abstract publish(messages: OutgoingMessage[]): Promise<void>;
}
