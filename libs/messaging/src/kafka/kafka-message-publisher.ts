import { CompressionTypes, Kafka, type IHeaders } from 'kafkajs';
import { MessagePublisher, type OutgoingMessage } from '../message-publisher.port.js';
import { IdempotentProducer } from './idempotent-producer.js';
import { kafkaClientConfig, type KafkaSettings } from './kafka-settings.js';

/**
 * kafkajs behind the MessagePublisher port. Idempotent producer with one
 * request in flight: retries cannot duplicate or reorder within a partition;
 * after a publish that failed, the next one runs under a new producer id, so
 * that it cannot be taken for a copy of a batch the broker kept
 * (IdempotentProducer).
 */
export class KafkaMessagePublisher extends MessagePublisher {
  private readonly producer: IdempotentProducer;

  constructor(settings: KafkaSettings) {
    super();
    this.producer = new IdempotentProducer(new Kafka(kafkaClientConfig(settings)));
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of messages) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    await this.producer.send({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, batch]) => ({
        topic,
        // kafkajs writes a null header value as Kafka's null, though its types leave it out.
        messages: batch.map((m) => ({ key: m.key, value: m.value, headers: m.headers as IHeaders | undefined })),
      })),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
