import type { KafkaContext } from '@nestjs/microservices';
import type { Delivery } from '@boxoffice/messaging';

/**
 * Adapts Nest's Kafka context to the transport-neutral Delivery our
 * consumers use. BatchingServerKafka hands handlers kafkajs's message as it
 * came off the wire, so key, value and headers are the broker's bytes.
 */
export function kafkaDelivery(context: KafkaContext): Delivery {
  const message = context.getMessage();
  return {
    topic: context.getTopic(),
    partition: context.getPartition(),
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: message.headers ?? {},
    heartbeat: () => context.getHeartbeat()(),
  };
}
