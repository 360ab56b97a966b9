import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { OrderRefundedV1 } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { VoidRefundedTicketsHandler } from '../../application/void-refunded-tickets/void-refunded-tickets.handler.js';

/** Event-based style: a refunded order's tickets stop being valid, on ticketing's own schedule. */
@Controller()
export class OrderRefundedConsumer {
  private readonly logger = new Logger(OrderRefundedConsumer.name);

  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly voidRefundedTickets: VoidRefundedTicketsHandler,
  ) {}

  @EventPattern<string>(OrderRefundedV1.topic)
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(OrderRefundedV1, kafkaDelivery(context), async (envelope) => {
      const { voided, listing } = await this.voidRefundedTickets.execute(envelope);
      const { orderId, showId } = envelope.payload;
      this.logger.log({ msg: 'order-refunded handled', orderId, showId, voided, listing, messageId: envelope.messageId, correlationId: envelope.correlationId });
    });
  }
}
