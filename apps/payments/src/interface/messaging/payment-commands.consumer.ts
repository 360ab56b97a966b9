import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { PaymentCommandV1, type Envelope, type PaymentCommand } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { AuthorizePaymentHandler } from '../../application/authorize-payment/authorize-payment.handler.js';
import { CapturePaymentHandler } from '../../application/capture-payment/capture-payment.handler.js';
import { RefundPaymentHandler } from '../../application/refund-payment/refund-payment.handler.js';
import { VoidPaymentHandler } from '../../application/void-payment/void-payment.handler.js';
import type { PaymentAnswer } from '../../domain/payment-intent/payment-answer.js';

/**
 * The payment side of the checkout saga (callback style): ordering sends
 * commands on one topic, keyed by order id, payments answers on payments.payment-reply.v1
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

  @EventPattern<string>(PaymentCommandV1.topic)
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(PaymentCommandV1, kafkaDelivery(context), async (command) => this.log(command, await this.dispatch(command)));
  }

  private dispatch(command: Envelope<PaymentCommand>): Promise<PaymentAnswer | 'duplicate'> {
    const payload = command.payload;
    switch (payload.command) {
      case 'authorize':
        return this.authorizePayment.execute({ ...command, payload });
      case 'capture':
        return this.capturePayment.execute({ ...command, payload });
      case 'void':
        return this.voidPayment.execute({ ...command, payload });
      case 'refund':
        return this.refundPayment.execute({ ...command, payload });
    }
  }

  private log(command: Envelope<PaymentCommand>, answer: PaymentAnswer | 'duplicate'): void {
    this.logger.log({
      msg: `payment ${command.payload.command} handled`,
      orderId: command.payload.orderId,
      answer: answer === 'duplicate' ? 'duplicate (already answered)' : answer.outcome,
      reason: answer !== 'duplicate' && 'reason' in answer ? answer.reason : undefined,
      messageId: command.messageId,
      correlationId: command.correlationId,
    });
  }
}
