import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload, type KafkaContext } from '@nestjs/microservices';
import { AuthorizePaymentV1, CapturePaymentV1, RefundPaymentV1, VoidPaymentV1, type Envelope } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { AuthorizePaymentHandler } from '../../application/authorize-payment/authorize-payment.handler.js';
import { CapturePaymentHandler } from '../../application/capture-payment/capture-payment.handler.js';
import { RefundPaymentHandler } from '../../application/refund-payment/refund-payment.handler.js';
import { VoidPaymentHandler } from '../../application/void-payment/void-payment.handler.js';
import type { PaymentAnswer } from '../../domain/payment-intent/payment-answer.js';

/**
 * The payment side of the checkout saga (callback style): ordering sends a
 * command keyed by order id, payments answers on payments.payment-reply.v1
 * through its outbox. Every command goes through the inbox, so a redelivery
 * is answered once; a lost race with another replica is retried by the
 * consumer; a message that breaks its contract goes to payments.dead-letter.v1.
 */
@Controller()
export class PaymentCommandsConsumer {
  private readonly logger = new Logger(PaymentCommandsConsumer.name);

  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly authorizePayment: AuthorizePaymentHandler,
    private readonly capturePayment: CapturePaymentHandler,
    private readonly voidPayment: VoidPaymentHandler,
    private readonly refundPayment: RefundPaymentHandler,
  ) {}

  @EventPattern<string>(AuthorizePaymentV1.topic)
  async authorize(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(AuthorizePaymentV1, message, kafkaDelivery(context), async (command) => this.log(command, await this.authorizePayment.execute(command)));
  }

  @EventPattern<string>(CapturePaymentV1.topic)
  async capture(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(CapturePaymentV1, message, kafkaDelivery(context), async (command) => this.log(command, await this.capturePayment.execute(command)));
  }

  @EventPattern<string>(VoidPaymentV1.topic)
  async void(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(VoidPaymentV1, message, kafkaDelivery(context), async (command) => this.log(command, await this.voidPayment.execute(command)));
  }

  @EventPattern<string>(RefundPaymentV1.topic)
  async refund(@Payload() message: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(RefundPaymentV1, message, kafkaDelivery(context), async (command) => this.log(command, await this.refundPayment.execute(command)));
  }

  private log(command: Envelope<{ orderId: string }>, answer: PaymentAnswer | 'duplicate'): void {
    this.logger.log({
      msg: `${command.type} handled`,
      orderId: command.payload.orderId,
      answer: answer === 'duplicate' ? 'duplicate (already answered)' : answer.outcome,
      reason: answer !== 'duplicate' && 'reason' in answer ? answer.reason : undefined,
      messageId: command.messageId,
      correlationId: command.correlationId,
    });
  }
}
