import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { OrderConfirmedV1, OrderRefundedV1, OrderRejectedV1, type Envelope } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { RecordOrderNotificationsHandler } from '../../application/record-order-notifications/record-order-notifications.handler.js';
import type { OrderOutcome } from '../../domain/order/order-outcome.js';
import { DeliveryDispatchLoop } from '../../infrastructure/dispatch/delivery-dispatch-loop.js';

/**
 * Event-based style: notifications reacts to how an order ended, on its own
 * schedule and independently of ticketing. It only records what to send; the
 * dispatcher, woken here after the commit, does the sending.
 */
@Controller()
export class OrderOutcomeConsumer {
  private readonly logger = new Logger(OrderOutcomeConsumer.name);

  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly recordNotifications: RecordOrderNotificationsHandler,
    private readonly dispatchLoop: DeliveryDispatchLoop,
  ) {}

  @EventPattern<string>(OrderConfirmedV1.topic)
  async confirmed(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(OrderConfirmedV1, kafkaDelivery(context), (envelope) =>
      this.record(envelope, { kind: 'confirmed', ...envelope.payload }),
    );
  }

  @EventPattern<string>(OrderRejectedV1.topic)
  async rejected(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(OrderRejectedV1, kafkaDelivery(context), (envelope) =>
      this.record(envelope, { kind: 'rejected', ...envelope.payload }),
    );
  }

  @EventPattern<string>(OrderRefundedV1.topic)
  async refunded(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(OrderRefundedV1, kafkaDelivery(context), (envelope) =>
      this.record(envelope, { kind: 'refunded', ...envelope.payload }),
    );
  }

  private async record(envelope: Envelope, outcome: OrderOutcome): Promise<void> {
    const recorded = await this.recordNotifications.execute(envelope, outcome);
    if (recorded === 'recorded') this.dispatchLoop.wake();
    this.logger.log({ msg: `${envelope.type} handled`, orderId: outcome.orderId, outcome: recorded, messageId: envelope.messageId, correlationId: envelope.correlationId });
  }
}
