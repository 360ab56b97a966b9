import { Controller, Get, Param } from '@nestjs/common';
import { IdParam, type PaymentView } from '@boxoffice/contracts';
import { Allow, ProblemException, ZodPipe } from '@boxoffice/platform';
import { GetPaymentQuery } from '../../application/get-payment/get-payment.query.js';

/** For operations (and tests): no public route leads here, so admins only. */
@Allow('admin')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly getPayment: GetPaymentQuery) {}

  @Get(':orderId')
  async get(@Param('orderId', new ZodPipe(IdParam)) orderId: string): Promise<PaymentView> {
    const intent = await this.getPayment.execute(orderId);
    if (!intent) throw ProblemException.notFound('Payment', `order ${orderId} has no payment (unknown, or its authorization is still on its way)`);
    return {
      orderId: intent.orderId,
      paymentId: intent.requested?.paymentId ?? null,
      customerId: intent.requested?.customerId ?? null,
      amount: intent.requested ? { ...intent.requested.amount } : null,
      status: intent.status,
      declineReason: intent.declineReason,
      version: intent.version,
    };
  }
}
