import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { ShowPublishedV1 } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { OpenShowForSaleHandler } from '../../application/open-show-for-sale/open-show-for-sale.handler.js';

/** Event-based style: inventory reacts to catalog's publication on its own schedule. */
@Controller()
export class ShowPublishedConsumer {
  private readonly logger = new Logger(ShowPublishedConsumer.name);

  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly openShowForSale: OpenShowForSaleHandler,
  ) {}

  @EventPattern<string>(ShowPublishedV1.topic)
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(ShowPublishedV1, kafkaDelivery(context), async (envelope) => {
      const outcome = await this.openShowForSale.execute(envelope);
      this.logger.log({ msg: 'show-published handled', showId: envelope.payload.showId, outcome, messageId: envelope.messageId, correlationId: envelope.correlationId });
    });
  }
}
