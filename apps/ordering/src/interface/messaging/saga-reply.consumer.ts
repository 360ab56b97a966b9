import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { PaymentReplyV1, SeatReplyV1 } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { HandlePaymentReplyHandler } from '../../application/handle-payment-reply/handle-payment-reply.handler.js';
import { HandleSeatReplyHandler } from '../../application/handle-seat-reply/handle-seat-reply.handler.js';

/** The answers the saga waits for, from inventory and from payments. */
@Controller()
export class SagaReplyConsumer {
  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly seatReplies: HandleSeatReplyHandler,
    private readonly paymentReplies: HandlePaymentReplyHandler,
  ) {}

  @EventPattern<string>(SeatReplyV1.topic)
  async onSeatReply(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(SeatReplyV1, kafkaDelivery(context), (envelope) => this.seatReplies.execute(envelope));
  }

  @EventPattern<string>(PaymentReplyV1.topic)
  async onPaymentReply(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(PaymentReplyV1, kafkaDelivery(context), (envelope) => this.paymentReplies.execute(envelope));
  }
}
