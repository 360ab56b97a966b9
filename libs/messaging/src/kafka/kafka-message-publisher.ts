import { CompressionTypes, Kafka, type IHeaders, type Producer } from 'kafkajs';
import { MessagePublisher, type OutgoingMessage } from '../message-publisher.port.js';
import { kafkaClientConfig, type KafkaSettings } from './kafka-settings.js';

/**
 * kafkajs behind the MessagePublisher port. Idempotent producer with one
 * request in flight: retries cannot duplicate or reorder within a partition.
 */
export class KafkaMessagePublisher extends MessagePublisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(settings: KafkaSettings) {
    super();
    this.producer = new Kafka(kafkaClientConfig(settings)).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of messages) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, batch]) => ({
        topic,
        // kafkajs writes a null header value as Kafka's null, though its types leave it out.
        messages: batch.map((m) => ({ key: m.key, value: m.value, headers: m.headers as IHeaders | undefined })),
      })),
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
