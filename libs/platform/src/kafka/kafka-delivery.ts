import type { KafkaContext } from '@nestjs/microservices';
import type { Delivery } from '@boxoffice/messaging';

/** Adapts Nest's Kafka context to the transport-neutral Delivery our consumers use. */
export function kafkaDelivery(context: KafkaContext): Delivery {
  const message = context.getMessage();
  return {
    topic: context.getTopic(),
    partition: context.getPartition(),
    offset: message.offset,
    key: message.key ? message.key.toString() : null,
    heartbeat: () => context.getHeartbeat()(),
  };
}
