import type { PaymentCommand } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import { CapturePaymentHandler } from '../../src/application/capture-payment/capture-payment.handler.js';
import { PaymentIntentRepository, type PaymentCommandTransaction } from '../../src/application/ports/payment-intent.repository.port.js';
import { RefundPaymentHandler } from '../../src/application/refund-payment/refund-payment.handler.js';
import type { LedgerTransaction } from '../../src/domain/ledger/ledger-transaction.js';
import type { PaymentAnswer } from '../../src/domain/payment-intent/payment-answer.js';
import { PaymentIntent, type PaymentStatus } from '../../src/domain/payment-intent/payment-intent.aggregate.js';

const orderId = '01960000-0000-7000-8000-000000000030';
const paymentId = '01960000-0000-7000-8000-000000000040';
const amount = { amountMinor: 4500, currency: 'EUR' };

/** One order's intent in memory, and what each command's transaction did with it. */
class InMemoryIntents extends PaymentIntentRepository {
  saved: { status: PaymentStatus; expectedVersion: number }[] = [];
  posted: LedgerTransaction[] = [];
  replies: { answer: PaymentAnswer; intentVersion: number }[] = [];

  constructor(private intent: PaymentIntent | undefined) {
    super();
  }

  nextPaymentId(): string {
    return paymentId;
  }

  findByOrderId(): Promise<PaymentIntent | undefined> {
    return Promise.resolve(this.intent);
  }

  handleOnce(_command: ConsumedMessage, work: (transaction: PaymentCommandTransaction) => Promise<PaymentAnswer>): Promise<PaymentAnswer> {
    return work({
      intentFor: (id) => Promise.resolve(id === orderId ? this.intent : undefined),
      save: (intent) => {
        this.saved.push({ status: intent.status, expectedVersion: intent.expectedVersion });
        intent.markStored();
        this.intent = intent;
        return Promise.resolve();
      },
      post: (transaction) => {
        this.posted.push(transaction);
        return Promise.resolve();
      },
      reply: (answer, intentVersion) => {
        this.replies.push({ answer, intentVersion });
        return Promise.resolve();
      },
    });
  }
}

function stored(status: PaymentStatus): PaymentIntent {
  return PaymentIntent.restore({ orderId, version: 2, requested: { paymentId, customerId: 'customer-1', amount }, status, declineReason: null });
}

function commandTo<C extends PaymentCommand['command']>(command: C): ConsumedMessage<Extract<PaymentCommand, { command: C }>> {
  return { messageId: '01960000-0000-7000-8000-000000000050', payload: { command, orderId } } as unknown as ConsumedMessage<Extract<PaymentCommand, { command: C }>>;
}

describe.each([
  { name: 'capture', from: 'authorized', to: 'captured', run: (intents: PaymentIntentRepository) => new CapturePaymentHandler(intents).execute(commandTo('capture')) },
  { name: 'refund', from: 'captured', to: 'refunded', run: (intents: PaymentIntentRepository) => new RefundPaymentHandler(intents).execute(commandTo('refund')) },
] as const)('$name', ({ from, to, run }) => {
  it(`moves the ${from} payment to ${to}: stores the intent, books the money, answers`, async () => {
    const intents = new InMemoryIntents(stored(from));

    const answer = await run(intents);

    expect(answer).toEqual({ outcome: to, orderId, paymentId, amount });
    expect(intents.saved).toEqual([{ status: to, expectedVersion: 2 }]);
    expect(intents.posted).toHaveLength(1);
    expect(intents.replies).toEqual([{ answer, intentVersion: 3 }]);
  });

  it('rejects an order with no payment as no-payment, storing and booking nothing', async () => {
    const intents = new InMemoryIntents(undefined);

    const answer = await run(intents);

    expect(answer).toEqual({ outcome: 'rejected', orderId, reason: 'no-payment' });
    expect(intents.saved).toEqual([]);
    expect(intents.posted).toEqual([]);
    expect(intents.replies).toEqual([{ answer, intentVersion: 0 }]);
  });
});
