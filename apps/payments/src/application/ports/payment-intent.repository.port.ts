import type { ConsumedMessage } from '@boxoffice/messaging';
import type { LedgerTransaction } from '../../domain/ledger/ledger-transaction.js';
import type { PaymentAnswer } from '../../domain/payment-intent/payment-answer.js';
import type { PaymentIntent } from '../../domain/payment-intent/payment-intent.aggregate.js';

/** What one command may do, inside the one transaction that also records the command in the inbox. */
export interface PaymentCommandTransaction {
  /** The order's intent as committed now. */
  intentFor(orderId: string): Promise<PaymentIntent | undefined>;
  /**
   * Stores a new or changed intent, only if nobody stored it since it was
   * read (at its `expectedVersion`; 0: it did not exist). Otherwise throws
   * ConcurrentChangeError: the whole transaction rolls back, the inbox row
   * with it, and the consumer retries the command on the new state.
   */
  save(intent: PaymentIntent): Promise<void>;
  /** Appends a money movement to the ledger. */
  post(transaction: LedgerTransaction): Promise<void>;
  /** Stages the answer in the outbox: a reply to the command, keyed by the order id. */
  reply(answer: PaymentAnswer, intentVersion: number): Promise<void>;
}

export abstract class PaymentIntentRepository {
  abstract nextPaymentId(): string;
  /** A committed read, outside any command's transaction. */
  abstract findByOrderId(orderId: string): Promise<PaymentIntent | undefined>;
  /**
   * Runs `work` at most once per message id, in one transaction with the
   * inbox row, and lets the staged reply leave after the commit. A message
   * handled before is skipped and answered with nothing: its reply already left.
   */
  abstract handleOnce(command: ConsumedMessage, work: (transaction: PaymentCommandTransaction) => Promise<PaymentAnswer>): Promise<PaymentAnswer | 'duplicate'>;
}
