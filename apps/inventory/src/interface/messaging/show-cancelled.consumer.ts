import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { ShowCancelledV1 } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { StopSalesHandler } from '../../application/stop-sales/stop-sales.handler.js';

/** Event-based style: a cancelled show stops selling, on inventory's own schedule. */
@Controller()
export class ShowCancelledConsumer {
  private readonly logger = new Logger(ShowCancelledConsumer.name);

  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly stopSales: StopSalesHandler,
  ) {}

  @EventPattern<string>(ShowCancelledV1.topic)
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(ShowCancelledV1, kafkaDelivery(context), async (envelope) => {
      const outcome = await this.stopSales.execute(envelope);
      this.logger.log({ msg: 'show-cancelled handled', showId: envelope.payload.showId, outcome, messageId: envelope.messageId });
    });
  }
}
