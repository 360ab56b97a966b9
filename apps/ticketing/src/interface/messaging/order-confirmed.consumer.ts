import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { OrderConfirmedV1 } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { IssueTicketsHandler } from '../../application/issue-tickets/issue-tickets.handler.js';

/** Event-based style: ticketing reacts to a confirmed order on its own schedule; nobody waits for it. */
@Controller()
export class OrderConfirmedConsumer {
  private readonly logger = new Logger(OrderConfirmedConsumer.name);

  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly issueTickets: IssueTicketsHandler,
  ) {}

  @EventPattern<string>(OrderConfirmedV1.topic)
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(OrderConfirmedV1, kafkaDelivery(context), async (envelope) => {
      const { orderId, customerId, showId, seats } = envelope.payload;
      const outcome = await this.issueTickets.execute(envelope, { orderId, customerId, showId, seats });
      this.logger.log({ msg: 'order-confirmed handled', orderId, showId, outcome, messageId: envelope.messageId, correlationId: envelope.correlationId });
    });
  }
}
