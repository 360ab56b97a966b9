import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { PaymentReplyV1 } from '@boxoffice/contracts';
import { causedBy, messageFor, processOnce, stageMessage, type MessageOrigin, type ConsumedMessage } from '@boxoffice/messaging';
import { ShardRouter } from '@boxoffice/persistence';
import { OutboxRelays, SERVICE_IDENTITY, type ServiceIdentity } from '@boxoffice/platform';
import { ConcurrentChangeError } from '@boxoffice/ddd';
import { PaymentIntentRepository, type PaymentCommandTransaction } from '../../application/ports/payment-intent.repository.port.js';
import type { LedgerTransaction } from '../../domain/ledger/ledger-transaction.js';
import type { PaymentAnswer } from '../../domain/payment-intent/payment-answer.js';
import { PaymentIntent } from '../../domain/payment-intent/payment-intent.aggregate.js';
import type { PaymentStatus } from '../../domain/payment-intent/payment-intent.aggregate.js';

/** Names this context's inbox rows. */
const CONSUMER = 'payments';

/** Plain SQL, like the rest of the transaction: one statement per read, no query builder on the hot path. */
const SELECT_INTENT = `SELECT order_id, payment_id, customer_id, amount_minor, currency, status, decline_reason, version
                         FROM payment_intents WHERE order_id = $1`;

interface IntentRow {
  order_id: string;
  payment_id: string | null;
  customer_id: string | null;
  /** bigint: the driver hands it over as a string. */
  amount_minor: string | null;
  currency: string | null;
  status: PaymentStatus;
  decline_reason: string | null;
  version: number;
}

/** Payments is unsharded: one CP database on shard 0. */
@Injectable()
export class PostgresPaymentIntentRepository extends PaymentIntentRepository {
  private readonly origin: MessageOrigin;

  constructor(
    private readonly router: ShardRouter,
    private readonly relays: OutboxRelays,
    @Inject(SERVICE_IDENTITY) identity: ServiceIdentity,
  ) {
    super();
    this.origin = { service: identity.service, instance: identity.instance };
  }

  nextPaymentId(): string {
    return uuidv7();
  }

  async findByOrderId(orderId: string): Promise<PaymentIntent | undefined> {
    const [row]: IntentRow[] = await this.router.single().query(SELECT_INTENT, [orderId]);
    return row ? toIntent(row) : undefined;
  }

  async handleOnce(command: ConsumedMessage, work: (transaction: PaymentCommandTransaction) => Promise<PaymentAnswer>): Promise<PaymentAnswer | 'duplicate'> {
    let answer: PaymentAnswer | undefined;
    const inbox = await processOnce(this.router.writer(), CONSUMER, command, async (manager) => {
      answer = await work(new PostgresPaymentCommandTransaction(manager, command, this.origin));
    });
    if (inbox === 'duplicate' || !answer) return 'duplicate';
    this.relays.wake();
    return answer;
  }
}

class PostgresPaymentCommandTransaction implements PaymentCommandTransaction {
  constructor(
    private readonly manager: EntityManager,
    private readonly command: ConsumedMessage,
    private readonly origin: MessageOrigin,
  ) {}

  async intentFor(orderId: string): Promise<PaymentIntent | undefined> {
    const [row]: IntentRow[] = await this.manager.query(SELECT_INTENT, [orderId]);
    return row ? toIntent(row) : undefined;
  }

  async save(intent: PaymentIntent): Promise<void> {
    // Another command stored the same intent first (a race between replicas): nothing is written.
    const stored = intent.expectedVersion === 0 ? await this.insert(intent) : await this.update(intent);
    if (!stored) throw new ConcurrentChangeError(intent.orderId, intent.expectedVersion);
    intent.markStored();
  }

  /** The order id's primary key admits one intent per order; a second insert finds it and stores nothing. */
  private async insert(intent: PaymentIntent): Promise<boolean> {
    const requested = intent.requested;
    const inserted: unknown[] = await this.manager.query(
      `INSERT INTO payment_intents (order_id, payment_id, customer_id, amount_minor, currency, status, decline_reason, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [
        intent.orderId,
        requested?.paymentId ?? null,
        requested?.customerId ?? null,
        requested?.amount.amountMinor ?? null,
        requested?.amount.currency ?? null,
        intent.status,
        intent.declineReason,
        intent.version,
      ],
    );
    return inserted.length === 1;
  }

  /** Optimistic: only the version that was read may be replaced. */
  private async update(intent: PaymentIntent): Promise<boolean> {
    // TypeORM answers an UPDATE with [returned rows, affected count].
    const [, affected]: [unknown[], number] = await this.manager.query(
      `UPDATE payment_intents SET status = $3, version = $4, updated_at = now() WHERE order_id = $1 AND version = $2`,
      [intent.orderId, intent.expectedVersion, intent.status, intent.version],
    );
    return affected === 1;
  }

  async post(transaction: LedgerTransaction): Promise<void> {
    // The transaction and its entries in one statement: one round trip instead of two.
    await this.manager.query(
      `WITH posted AS (
         INSERT INTO ledger_transactions (id, payment_id, order_id, kind) VALUES ($1, $2, $3, $4) RETURNING id
       )
       INSERT INTO ledger_entries (transaction_id, account, currency, amount_minor)
       SELECT posted.id, entry.* FROM posted, unnest($5::text[], $6::text[], $7::bigint[]) AS entry`,
      [
        uuidv7(),
        transaction.paymentId,
        transaction.orderId,
        transaction.kind,
        transaction.entries.map((e) => e.account),
        transaction.entries.map((e) => e.currency),
        transaction.entries.map((e) => e.amountMinor),
      ],
    );
  }

  async reply(answer: PaymentAnswer, intentVersion: number): Promise<void> {
    const envelope = messageFor(PaymentReplyV1, answer, { id: answer.orderId, version: intentVersion }, this.origin, causedBy(this.command));
    await stageMessage(this.manager, PaymentReplyV1, envelope);
  }
}

function toIntent(row: IntentRow): PaymentIntent {
  const requested =
    row.payment_id !== null && row.customer_id !== null && row.amount_minor !== null && row.currency !== null
      ? { paymentId: row.payment_id, customerId: row.customer_id, amount: { amountMinor: Number(row.amount_minor), currency: row.currency } }
      : null;
  return PaymentIntent.restore({ orderId: row.order_id, version: row.version, requested, status: row.status, declineReason: row.decline_reason });
}
