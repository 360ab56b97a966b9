import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import { PaymentCommandV1, DeadLetterTopics, type PaymentCommand, PaymentReplyV1, type Envelope, type EventContract, type PayloadOf } from '@boxoffice/contracts';
import { CreateOutboxAndInbox1764000000000, KafkaMessagePublisher, OutboxTraceContext1764000000200, ReliableConsumer, messageFor, type Delivery } from '@boxoffice/messaging';
import { BucketMap, ShardRouter } from '@boxoffice/persistence';
import { OutboxRelays } from '@boxoffice/platform';
import { runningStack, scratchDatabase } from '@boxoffice/testing';
import { AuthorizePaymentHandler } from '../../src/application/authorize-payment/authorize-payment.handler.js';
import { CapturePaymentHandler } from '../../src/application/capture-payment/capture-payment.handler.js';
import { CreatePayments1764000000001 } from '../../src/infrastructure/persistence/migrations/1764000000001-create-payments.js';
import { PostgresPaymentIntentRepository } from '../../src/infrastructure/persistence/postgres-payment-intent.repository.js';
import { SimulatedPaymentProvider } from '../../src/infrastructure/provider/simulated-payment-provider.js';
import { paymentsDatabase } from '../../src/payments.database.js';

/**
 * The rules the database keeps on its own, and races between deliveries, on
 * a throwaway database on the stack's real Postgres (so the running app's
 * ledger stays untouched).
 */
const stack = runningStack();
let dataSource: DataSource;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ dataSource, drop } = await scratchDatabase(stack.databases.payments[0].primary, [CreateOutboxAndInbox1764000000000, CreatePayments1764000000001, OutboxTraceContext1764000000200]));
});

afterAll(async () => {
  await drop();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await dataSource.query(sql, params);
  return Number(row.count);
}

describe('the ledger tables', () => {
  /** An authorized intent to book against. */
  async function payment(): Promise<{ orderId: string; paymentId: string }> {
    const ids = { orderId: uuidv7(), paymentId: uuidv7() };
    await dataSource.query(
      `INSERT INTO payment_intents (order_id, payment_id, customer_id, amount_minor, currency, status, version) VALUES ($1, $2, 'c', 100, 'EUR', 'authorized', 1)`,
      [ids.orderId, ids.paymentId],
    );
    return ids;
  }

  function book(ids: { orderId: string; paymentId: string }, kind: string, entries: [string, string, number][]): Promise<string> {
    return dataSource.transaction(async (manager) => {
      const id = uuidv7();
      await manager.query(`INSERT INTO ledger_transactions (id, payment_id, order_id, kind) VALUES ($1, $2, $3, $4)`, [id, ids.paymentId, ids.orderId, kind]);
      for (const [account, currency, amount] of entries) {
        await manager.query(`INSERT INTO ledger_entries (transaction_id, account, currency, amount_minor) VALUES ($1, $2, $3, $4)`, [id, account, currency, amount]);
      }
      return id;
    });
  }

  it('refuse, at commit, a transaction whose entries do not sum to zero', async () => {
    const ids = await payment();
    await expect(book(ids, 'capture', [['customer-receivable', 'EUR', 100], ['merchant-revenue', 'EUR', -99]])).rejects.toThrow(/does not balance: EUR 1/);
    await expect(book(ids, 'capture', [['customer-receivable', 'EUR', 100], ['merchant-revenue', 'USD', -100]])).rejects.toThrow(/does not balance/);
    expect(await count(`SELECT count(*) FROM ledger_transactions WHERE payment_id = $1`, [ids.paymentId])).toBe(0);
  });

  it('refuse a transaction with fewer than two entries', async () => {
    const ids = await payment();
    await expect(book(ids, 'capture', [])).rejects.toThrow(/needs at least two/);
  });

  it('keep a balanced transaction, and refuse to change, delete or truncate it afterwards', async () => {
    const ids = await payment();
    const id = await book(ids, 'capture', [['customer-receivable', 'EUR', 100], ['merchant-revenue', 'EUR', -100]]);
    await expect(dataSource.query(`UPDATE ledger_entries SET amount_minor = 1 WHERE transaction_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM ledger_entries WHERE transaction_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM ledger_transactions WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE ledger_entries, ledger_transactions`)).rejects.toThrow(/append-only/);
    expect(await count(`SELECT count(*) FROM ledger_entries WHERE transaction_id = $1`, [id])).toBe(2);
  });

  it('refuse a second capture of the same payment', async () => {
    const ids = await payment();
    await book(ids, 'capture', [['customer-receivable', 'EUR', 100], ['merchant-revenue', 'EUR', -100]]);
    await expect(book(ids, 'capture', [['customer-receivable', 'EUR', 100], ['merchant-revenue', 'EUR', -100]])).rejects.toThrow(/ledger_transactions_once_per_kind/);
  });

  it('refuse a second intent for an order, and an intent that is half a payment', async () => {
    const ids = await payment();
    await expect(
      dataSource.query(`INSERT INTO payment_intents (order_id, payment_id, customer_id, amount_minor, currency, status, version) VALUES ($1, $2, 'c', 1, 'EUR', 'authorized', 1)`, [ids.orderId, uuidv7()]),
    ).rejects.toThrow(/payment_intents_pkey/);
    await expect(
      dataSource.query(`INSERT INTO payment_intents (order_id, payment_id, status, version) VALUES ($1, $2, 'authorized', 1)`, [uuidv7(), uuidv7()]),
    ).rejects.toThrow(/payment_intents_requested/);
  });
});

describe('racing deliveries', () => {
  const ordering = { service: 'ordering', instance: 'payments-race-test' };
  let router: ShardRouter;
  let publisher: KafkaMessagePublisher;
  let consumer: ReliableConsumer;
  let intents: PostgresPaymentIntentRepository;

  beforeAll(async () => {
    const url = (dataSource.options as { url: string }).url;
    router = ShardRouter.create({ shards: [{ primary: url, replicas: [] }], bucketMap: BucketMap.even(1) }, { applicationName: 'payments-race-test', entities: paymentsDatabase.entities, migrations: [] });
    await router.initialize();
    // Only for dead letters, which these commands never become; the relays are never started, so replies stay in the outbox to be read.
    publisher = new KafkaMessagePublisher({ brokers: stack.kafka.brokers, clientId: 'payments-race-test' });
    intents = new PostgresPaymentIntentRepository(router, new OutboxRelays(router, publisher), { service: 'payments', instance: 'payments-race-test', host: '127.0.0.1', port: 0 });
    // Retries a lost race the way the running app's consumer does.
    consumer = new ReliableConsumer(publisher, {
      consumer: 'payments',
      deadLetterTopic: DeadLetterTopics.payments,
      backoffMillis: 10,
    });
  });

  afterAll(async () => {
    await publisher.disconnect();
    await router.destroy();
  });

  function command<C extends EventContract>(contract: C, payload: PayloadOf<C> & { orderId: string }): Envelope {
    return messageFor(contract, payload, { id: payload.orderId, version: 1 }, ordering, { correlationId: uuidv7(), causationId: null });
  }

  function delivery(topic: string, offset: number, message: Envelope): Delivery {
    return { topic, partition: 0, offset: String(offset), key: null, value: Buffer.from(JSON.stringify(message)), headers: {}, heartbeat: async () => undefined };
  }

  async function stagedReplies(orderId: string): Promise<PayloadOf<typeof PaymentReplyV1>[]> {
    const rows: { envelope: Envelope<PayloadOf<typeof PaymentReplyV1>> }[] = await dataSource.query(`SELECT envelope FROM outbox WHERE message_key = $1 ORDER BY id`, [orderId]);
    return rows.map((r) => r.envelope.payload);
  }

  it('lets one intent in when eight authorizations of an order race, and answers all of them alike', async () => {
    const orderId = uuidv7();
    const handler = new AuthorizePaymentHandler(intents, new SimulatedPaymentProvider({ declineRate: 0, latencyMs: 20 }));
    const commands = Array.from({ length: 8 }, () => command(PaymentCommandV1, { command: 'authorize', orderId, customerId: 'c', amount: { amountMinor: 2500, currency: 'EUR' } }));

    const outcomes = await Promise.all(commands.map((c, i) => consumer.consume(PaymentCommandV1, delivery(PaymentCommandV1.topic, i, c), (e) => handler.execute(e as Envelope<Extract<PaymentCommand, { command: 'authorize' }>>))));

    expect(outcomes).toEqual(Array(8).fill('handled'));
    expect(await count(`SELECT count(*) FROM payment_intents WHERE order_id = $1`, [orderId])).toBe(1);
    const replies = await stagedReplies(orderId);
    expect(replies).toHaveLength(8);
    expect(new Set(replies.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(replies[0]).toMatchObject({ outcome: 'authorized', orderId });
    expect(await count(`SELECT count(*) FROM ledger_transactions WHERE order_id = $1`, [orderId])).toBe(1);
  });

  it('captures once when eight captures of an order race', async () => {
    const orderId = uuidv7();
    const authorize = new AuthorizePaymentHandler(intents, new SimulatedPaymentProvider({ declineRate: 0, latencyMs: 0 }));
    await authorize.execute(command(PaymentCommandV1, { command: 'authorize', orderId, customerId: 'c', amount: { amountMinor: 2500, currency: 'EUR' } }) as Envelope<Extract<PaymentCommand, { command: 'authorize' }>>);
    const capture = new CapturePaymentHandler(intents);
    const commands = Array.from({ length: 8 }, () => command(PaymentCommandV1, { command: 'capture', orderId }));

    const outcomes = await Promise.all(commands.map((c, i) => consumer.consume(PaymentCommandV1, delivery(PaymentCommandV1.topic, i, c), (e) => capture.execute(e as Envelope<Extract<PaymentCommand, { command: 'capture' }>>))));

    expect(outcomes).toEqual(Array(8).fill('handled'));
    const replies = (await stagedReplies(orderId)).slice(1);
    expect(replies.map((r) => r.outcome)).toEqual(Array(8).fill('captured'));
    expect(await count(`SELECT count(*) FROM ledger_transactions WHERE order_id = $1 AND kind = 'capture'`, [orderId])).toBe(1);
    const [intent] = await dataSource.query(`SELECT status, version FROM payment_intents WHERE order_id = $1`, [orderId]);
    expect(intent).toEqual({ status: 'captured', version: 2 });
  });
});
