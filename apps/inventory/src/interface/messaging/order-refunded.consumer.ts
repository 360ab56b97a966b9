import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { OrderRefundedV1 } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { PutRefundedSeatsBackOnSaleHandler } from '../../application/put-refunded-seats-back-on-sale/put-refunded-seats-back-on-sale.handler.js';

/** Event-based style: a refunded order's seats go back on sale, on inventory's own schedule. */
@Controller()
export class OrderRefundedConsumer {
  private readonly logger = new Logger(OrderRefundedConsumer.name);

  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly putBackOnSale: PutRefundedSeatsBackOnSaleHandler,
  ) {}

  @EventPattern<string>(OrderRefundedV1.topic)
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(OrderRefundedV1, kafkaDelivery(context), async (envelope) => {
      const { outcome, freed } = await this.putBackOnSale.execute(envelope);
      const { orderId, showId } = envelope.payload;
      this.logger.log({ msg: 'order-refunded handled', orderId, showId, outcome, freed, messageId: envelope.messageId, correlationId: envelope.correlationId });
    });
  }
}
