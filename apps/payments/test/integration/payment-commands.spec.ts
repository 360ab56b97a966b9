import { v7 as uuidv7 } from 'uuid';
import {
  PaymentCommandV1,
  PaymentReplyV1,
  type Envelope,
  type EventContract,
  type LedgerBalanceView,
  type PayloadOf,
  type PaymentView,
} from '@boxoffice/contracts';
import { messageFor } from '@boxoffice/messaging';
import { contextClient, eventually, KafkaProbe, queryDatabase, runningStack } from '@boxoffice/testing';

/**
 * Payments on the real stack: commands go in through Kafka exactly as the
 * checkout saga sends them, answers come back on the reply topic, and the
 * database and the internal API show what was stored and booked.
 */
const stack = runningStack();
const kafka = new KafkaProbe(stack.kafka.brokers);
const payments = contextClient(stack, 'payments');
const database = stack.databases.payments[0].primary;
const ordering = { service: 'ordering', instance: 'payments-integration-test' };

type Reply = Envelope<PayloadOf<typeof PaymentReplyV1>>;
type Command<C extends EventContract> = Envelope<PayloadOf<C>>;

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

function command<C extends EventContract>(contract: C, payload: PayloadOf<C> & { orderId: string }): Command<C> {
  return messageFor(contract, payload, { id: payload.orderId, version: 1 }, ordering, { correlationId: uuidv7(), causationId: null }) as Command<C>;
}

const authorize = (orderId: string, customerId = 'customer-1', amount = eur(4500)) => command(PaymentCommandV1, { command: 'authorize', orderId, customerId, amount });
const capture = (orderId: string) => command(PaymentCommandV1, { command: 'capture', orderId });
const voidPayment = (orderId: string) => command(PaymentCommandV1, { command: 'void', orderId });
const refund = (orderId: string) => command(PaymentCommandV1, { command: 'refund', orderId });

/** Produces a command keyed by its order, as the saga does; returns where it landed. */
async function send(envelope: Envelope): Promise<{ topic: string; partition: number; offset: string }> {
  const topic = `${envelope.type}.v${envelope.schemaVersion}`;
  const [sent] = await kafka.produce(topic, [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }]);
  return { topic, ...sent };
}

/** The replies about one order, in the order they were published (one key, one partition). */
async function repliesFor(orderId: string): Promise<Reply[]> {
  return (await kafka.readAll(PaymentReplyV1.topic))
    .filter((m) => m.key === orderId)
    .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))
    .map((m) => JSON.parse(m.value ?? '') as Reply);
}

/** Waits for exactly `count` replies about an order, and checks the outbox staged no more than that. */
async function expectReplies(orderId: string, count: number): Promise<Reply[]> {
  const replies = await eventually(async () => {
    const found = await repliesFor(orderId);
    expect(found).toHaveLength(count);
    return found;
  });
  const [{ staged }] = await queryDatabase<{ staged: string }>(database, `SELECT count(*) AS staged FROM outbox WHERE topic = $1 AND message_key = $2`, [
    PaymentReplyV1.topic,
    orderId,
  ]);
  expect(Number(staged)).toBe(count);
  return replies;
}

/** Waits until the payments consumer group has moved past a message. */
async function consumedPast(sent: { topic: string; partition: number; offset: string }): Promise<void> {
  await eventually(async () => expect(await kafka.committedOffset('payments', sent.topic, sent.partition)).toBeGreaterThan(BigInt(sent.offset)));
}

async function intentRows(orderId: string): Promise<{ status: string; version: number }[]> {
  return queryDatabase(database, `SELECT status, version FROM payment_intents WHERE order_id = $1`, [orderId]);
}

interface BookedEntry {
  kind: string;
  account: string;
  amountMinor: number;
}

/** The order's ledger entries in booking order. */
async function ledgerOf(orderId: string): Promise<BookedEntry[]> {
  const rows = await queryDatabase<{ kind: string; account: string; currency: string; amount_minor: string }>(
    database,
    `SELECT t.kind, e.account, e.currency, e.amount_minor FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
      WHERE t.order_id = $1 ORDER BY e.id`,
    [orderId],
  );
  for (const row of rows) expect(row.currency).toBe('EUR');
  return rows.map((r) => ({ kind: r.kind, account: r.account, amountMinor: Number(r.amount_minor) }));
}

function balancesOf(entries: BookedEntry[]): Record<string, number> {
  const balances: Record<string, number> = {};
  for (const entry of entries) balances[entry.account] = (balances[entry.account] ?? 0) + entry.amountMinor;
  return balances;
}

const hold = (amountMinor: number): BookedEntry[] => [
  { kind: 'authorization', account: 'customer-holds', amountMinor },
  { kind: 'authorization', account: 'merchant-holds', amountMinor: -amountMinor },
];

async function authorized(orderId: string, amount = eur(4500)): Promise<Reply> {
  await send(authorize(orderId, 'customer-1', amount));
  const [reply] = await expectReplies(orderId, 1);
  expect(reply.payload.outcome).toBe('authorized');
  return reply;
}

async function expectLedgerBalanced(): Promise<void> {
  const response = await payments.get<LedgerBalanceView>('/ledger/balance');
  expect(response.status).toBe(200);
  expect(response.body.balanced).toBe(true);
  for (const { currency, totalMinor } of response.body.currencies) {
    expect(totalMinor).toBe(0);
    const accounts = response.body.accounts.filter((a) => a.currency === currency);
    expect(accounts.reduce((sum, a) => sum + a.balanceMinor, 0)).toBe(0);
  }
}

describe('authorize', () => {
  it('authorizes and answers on the reply topic, keyed by the order, caused by the command, in its flow', async () => {
    const orderId = uuidv7();
    const command = authorize(orderId, 'customer-1', eur(4500));
    await send(command);

    const [reply] = await expectReplies(orderId, 1);
    expect(reply).toMatchObject({
      type: 'payments.payment-reply',
      schemaVersion: 1,
      aggregateId: orderId,
      aggregateVersion: 1,
      causationId: command.messageId,
      correlationId: command.correlationId,
      producer: { service: 'payments' },
      payload: { outcome: 'authorized', orderId, amount: eur(4500) },
    });
    const paymentId = reply.payload.outcome === 'authorized' ? reply.payload.paymentId : undefined;

    const intent = await payments.get<PaymentView>(`/payments/${orderId}`);
    expect(intent.status).toBe(200);
    expect(intent.body).toEqual({ orderId, paymentId, customerId: 'customer-1', amount: eur(4500), status: 'authorized', declineReason: null, version: 1 });
    expect(await ledgerOf(orderId)).toEqual(hold(4500));
  });

  it('answers the same command delivered twice once, with one intent', async () => {
    const orderId = uuidv7();
    const command = authorize(orderId);
    await send(command);
    const again = await send(command);
    await consumedPast(again);

    await expectReplies(orderId, 1);
    expect(await intentRows(orderId)).toHaveLength(1);
    expect(await queryDatabase(database, `SELECT * FROM inbox WHERE message_id = $1`, [command.messageId])).toHaveLength(1);
  });

  it('answers a second authorize for the order (a new message id) the same way, with no second intent or hold', async () => {
    const orderId = uuidv7();
    const first = authorize(orderId);
    const second = authorize(orderId);
    await send(first);
    await send(second);

    const replies = await expectReplies(orderId, 2);
    expect(replies[1].payload).toEqual(replies[0].payload);
    expect(replies.map((r) => r.causationId)).toEqual([first.messageId, second.messageId]);
    expect(await intentRows(orderId)).toEqual([{ status: 'authorized', version: 1 }]);
    expect(await ledgerOf(orderId)).toEqual(hold(4500));
  });

  it('declines a test customer whose id starts with "decline", holding nothing', async () => {
    const orderId = uuidv7();
    await send(authorize(orderId, 'decline-card-4000000000000002'));

    const [reply] = await expectReplies(orderId, 1);
    expect(reply.payload).toEqual({ outcome: 'declined', orderId, reason: 'test-customer-declined' });
    expect((await payments.get<PaymentView>(`/payments/${orderId}`)).body).toMatchObject({ status: 'declined', declineReason: 'test-customer-declined' });
    expect(await ledgerOf(orderId)).toEqual([]);
  });
});

describe('capture', () => {
  it('captures: the hold is released, the sale booked, and the ledger balances', async () => {
    const orderId = uuidv7();
    const { payload } = await authorized(orderId, eur(12000));
    const command = capture(orderId);
    await send(command);

    const [, reply] = await expectReplies(orderId, 2);
    expect(reply).toMatchObject({ aggregateVersion: 2, causationId: command.messageId, correlationId: command.correlationId });
    expect(reply.payload).toEqual({ outcome: 'captured', orderId, paymentId: payload.outcome === 'authorized' && payload.paymentId, amount: eur(12000) });
    expect(await ledgerOf(orderId)).toEqual([
      ...hold(12000),
      { kind: 'capture', account: 'merchant-holds', amountMinor: 12000 },
      { kind: 'capture', account: 'customer-holds', amountMinor: -12000 },
      { kind: 'capture', account: 'customer-receivable', amountMinor: 12000 },
      { kind: 'capture', account: 'merchant-revenue', amountMinor: -12000 },
    ]);
    await expectLedgerBalanced();
  });

  it('captures twice only once', async () => {
    const orderId = uuidv7();
    await authorized(orderId);
    await send(capture(orderId));
    await send(capture(orderId));

    const [, first, second] = await expectReplies(orderId, 3);
    expect(first.payload.outcome).toBe('captured');
    expect(second.payload).toEqual(first.payload);
    expect(await intentRows(orderId)).toEqual([{ status: 'captured', version: 2 }]);
    expect((await ledgerOf(orderId)).filter((e) => e.kind === 'capture')).toHaveLength(4);
  });

  it('rejects the capture of a voided payment, with the reason, and books nothing', async () => {
    const orderId = uuidv7();
    await authorized(orderId);
    await send(voidPayment(orderId));
    await expectReplies(orderId, 2);
    await send(capture(orderId));

    const [, , reply] = await expectReplies(orderId, 3);
    expect(reply.payload).toEqual({ outcome: 'rejected', orderId, reason: 'payment-voided' });
    expect(await ledgerOf(orderId)).toEqual([
      ...hold(4500),
      { kind: 'void', account: 'merchant-holds', amountMinor: 4500 },
      { kind: 'void', account: 'customer-holds', amountMinor: -4500 },
    ]);
  });

  it('rejects the capture of an order it knows nothing about', async () => {
    const orderId = uuidv7();
    await send(capture(orderId));
    const [reply] = await expectReplies(orderId, 1);
    expect(reply.payload).toEqual({ outcome: 'rejected', orderId, reason: 'no-payment' });
    expect(await intentRows(orderId)).toEqual([]);
  });
});

describe('void', () => {
  it('voids after authorize: the hold is released', async () => {
    const orderId = uuidv7();
    const { payload } = await authorized(orderId, eur(3000));
    await send(voidPayment(orderId));

    const [, reply] = await expectReplies(orderId, 2);
    expect(reply.payload).toEqual({ outcome: 'voided', orderId, paymentId: payload.outcome === 'authorized' && payload.paymentId });
    expect((await payments.get<PaymentView>(`/payments/${orderId}`)).body).toMatchObject({ status: 'voided', version: 2 });
    expect(balancesOf(await ledgerOf(orderId))).toEqual({ 'customer-holds': 0, 'merchant-holds': 0 });
  });

  it('voids a declined payment as a harmless no-op, with no payment id', async () => {
    const orderId = uuidv7();
    await send(authorize(orderId, 'decline-me'));
    await expectReplies(orderId, 1);
    await send(voidPayment(orderId));

    const [, reply] = await expectReplies(orderId, 2);
    expect(reply.payload).toEqual({ outcome: 'voided', orderId, paymentId: null });
    expect(await intentRows(orderId)).toEqual([{ status: 'declined', version: 1 }]);
  });

  it('answers a void that overtook its authorization, and refuses the authorization when it arrives', async () => {
    const orderId = uuidv7();
    await send(voidPayment(orderId));
    const [voided] = await expectReplies(orderId, 1);
    expect(voided.payload).toEqual({ outcome: 'voided', orderId, paymentId: null });

    await send(authorize(orderId));
    const [, late] = await expectReplies(orderId, 2);
    expect(late.payload).toEqual({ outcome: 'rejected', orderId, reason: 'payment-voided' });
    expect((await payments.get<PaymentView>(`/payments/${orderId}`)).body).toMatchObject({ status: 'voided', paymentId: null, amount: null });
    expect(await ledgerOf(orderId)).toEqual([]);
  });
});

describe('refund', () => {
  it('refunds after capture: the sale is reversed and the ledger still sums to zero', async () => {
    const orderId = uuidv7();
    await authorized(orderId, eur(8000));
    await send(capture(orderId));
    await expectReplies(orderId, 2);
    await send(refund(orderId));

    const [, , reply] = await expectReplies(orderId, 3);
    expect(reply.payload).toMatchObject({ outcome: 'refunded', orderId, amount: eur(8000) });
    const entries = await ledgerOf(orderId);
    expect(entries.filter((e) => e.kind === 'refund')).toEqual([
      { kind: 'refund', account: 'merchant-revenue', amountMinor: 8000 },
      { kind: 'refund', account: 'customer-receivable', amountMinor: -8000 },
    ]);
    expect(balancesOf(entries)).toEqual({ 'customer-holds': 0, 'merchant-holds': 0, 'customer-receivable': 0, 'merchant-revenue': 0 });
    expect((await payments.get<PaymentView>(`/payments/${orderId}`)).body).toMatchObject({ status: 'refunded', version: 3 });
    await expectLedgerBalanced();
  });

  it('rejects the refund of a payment that is only authorized', async () => {
    const orderId = uuidv7();
    await authorized(orderId);
    await send(refund(orderId));
    const [, reply] = await expectReplies(orderId, 2);
    expect(reply.payload).toEqual({ outcome: 'rejected', orderId, reason: 'payment-not-captured' });
  });
});

describe('poison messages', () => {
  it('dead-letters a message that is not JSON and one with a wrong payload, then handles the next command', async () => {
    const orderId = uuidv7();
    const valid = authorize(orderId);
    const wrongPayload = { ...valid, messageId: uuidv7(), payload: { orderId, customerId: '', amount: { amountMinor: -5, currency: 'euro' } } };
    const [notJson] = await kafka.produce(PaymentCommandV1.topic, [{ key: orderId, value: 'this is { not json' }]);
    const [wrong] = await kafka.produce(PaymentCommandV1.topic, [{ key: orderId, value: JSON.stringify(wrongPayload) }]);
    // Same key, same partition: the valid command is handled only if the partition moved past both.
    await send(valid);

    const [reply] = await expectReplies(orderId, 1);
    expect(reply.payload.outcome).toBe('authorized');
    expect(reply.causationId).toBe(valid.messageId);

    const deadLetters = await eventually(async () => {
      const found = (await kafka.readAll('payments.dead-letter.v1')).filter((m) => m.key === orderId);
      expect(found).toHaveLength(2);
      return found.sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
    });
    expect(deadLetters.map((m) => m.headers['boxoffice-dlq-offset'])).toEqual([notJson.offset, wrong.offset]);
    expect(deadLetters.map((m) => m.headers['boxoffice-dlq-topic'])).toEqual([PaymentCommandV1.topic, PaymentCommandV1.topic]);
    expect(deadLetters[0].value).toBe('this is { not json');
    expect(deadLetters[1].headers['boxoffice-dlq-reason']).toMatch(/invalid message: payload/);
    expect(await intentRows(orderId)).toEqual([{ status: 'authorized', version: 1 }]);
  });
});

describe('internal API', () => {
  it('answers 404 for an order without a payment and 400 for an id that is not a uuid', async () => {
    const unknown = await payments.get<{ code: string }>(`/payments/${uuidv7()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(unknown.body.code).toBe('not-found');
    expect((await payments.get<{ code: string }>('/payments/not-a-uuid')).body.code).toBe('validation-failed');
  });

  it('reports the ledger balance per currency and per account, summing to zero', async () => {
    await authorized(uuidv7(), { amountMinor: 700, currency: 'USD' });
    const response = await payments.get<LedgerBalanceView>('/ledger/balance');
    expect(response.body.currencies).toEqual(expect.arrayContaining([{ currency: 'EUR', totalMinor: 0 }, { currency: 'USD', totalMinor: 0 }]));
    expect(response.body.accounts.map((a) => a.account)).toEqual(expect.arrayContaining(['customer-holds', 'merchant-holds', 'customer-receivable', 'merchant-revenue']));
    const usdHolds = response.body.accounts.find((a) => a.account === 'customer-holds' && a.currency === 'USD');
    expect(usdHolds?.balanceMinor).toBeGreaterThanOrEqual(700);
    await expectLedgerBalanced();
  });
});
