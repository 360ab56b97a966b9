import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { TicketsIssuedV1 } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { RecordCustomerTicketsHandler } from '../../application/record-customer-tickets/record-customer-tickets.handler.js';

/**
 * Ticketing consumes its own event to build the per-customer read model: the
 * tickets are written on the show's shard, the customer's list on the
 * customer's shard, and Kafka carries them from one to the other.
 */
@Controller()
export class TicketsIssuedConsumer {
  private readonly logger = new Logger(TicketsIssuedConsumer.name);

  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly recordCustomerTickets: RecordCustomerTicketsHandler,
  ) {}

  @EventPattern<string>(TicketsIssuedV1.topic)
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(TicketsIssuedV1, kafkaDelivery(context), async (envelope) => {
      const outcome = await this.recordCustomerTickets.execute(envelope);
      this.logger.log({ msg: 'tickets-issued projected', orderId: envelope.payload.orderId, outcome, messageId: envelope.messageId, correlationId: envelope.correlationId });
    });
  }
}
