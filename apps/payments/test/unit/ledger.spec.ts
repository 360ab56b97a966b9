import { LedgerAccounts } from '../../src/domain/ledger/ledger-account.js';
import { LedgerTransaction, sumsByCurrency, type LedgerEntry } from '../../src/domain/ledger/ledger-transaction.js';
import { ledgerTransactionFor } from '../../src/domain/ledger/posting-rules.js';
import { PaymentIntent } from '../../src/domain/payment-intent/payment-intent.aggregate.js';

const orderId = '01960000-0000-7000-8000-000000000010';
const paymentId = '01960000-0000-7000-8000-000000000020';
const ids = { kind: 'capture' as const, orderId, paymentId };

function record(entries: LedgerEntry[]) {
  return LedgerTransaction.record({ ...ids, entries });
}

describe('LedgerTransaction', () => {
  it('records entries that sum to zero', () => {
    const transaction = record([
      { account: 'customer-receivable', currency: 'EUR', amountMinor: 500 },
      { account: 'merchant-revenue', currency: 'EUR', amountMinor: -500 },
    ]);
    expect(transaction.ok && transaction.value.entries).toHaveLength(2);
  });

  it('refuses entries that do not sum to zero', () => {
    const transaction = record([
      { account: 'customer-receivable', currency: 'EUR', amountMinor: 500 },
      { account: 'merchant-revenue', currency: 'EUR', amountMinor: -499 },
    ]);
    expect(!transaction.ok && transaction.error).toEqual({ code: 'ledger-unbalanced', message: 'entries do not sum to zero: EUR 1' });
  });

  it('balances every currency on its own: a sum of zero across currencies is not enough', () => {
    const transaction = record([
      { account: 'customer-receivable', currency: 'EUR', amountMinor: 500 },
      { account: 'merchant-revenue', currency: 'USD', amountMinor: -500 },
    ]);
    expect(!transaction.ok && transaction.error.code).toBe('ledger-unbalanced');
  });

  it.each<[string, LedgerEntry[], string]>([
    ['one entry', [{ account: 'customer-holds', currency: 'EUR', amountMinor: 0 }], 'ledger-too-few-entries'],
    ['a zero amount', [{ account: 'customer-holds', currency: 'EUR', amountMinor: 0 }, { account: 'merchant-holds', currency: 'EUR', amountMinor: 0 }], 'ledger-invalid-amount'],
    ['a fraction of a minor unit', [{ account: 'customer-holds', currency: 'EUR', amountMinor: 0.5 }, { account: 'merchant-holds', currency: 'EUR', amountMinor: -0.5 }], 'ledger-invalid-amount'],
    ['a bad currency', [{ account: 'customer-holds', currency: 'eur', amountMinor: 1 }, { account: 'merchant-holds', currency: 'eur', amountMinor: -1 }], 'ledger-invalid-currency'],
  ])('refuses %s', (_, entries, code) => {
    const transaction = record(entries);
    expect(!transaction.ok && transaction.error.code).toBe(code);
  });
});

describe('posting rules', () => {
  const amount = { amountMinor: 9000, currency: 'EUR' };
  const balances = (entries: LedgerEntry[]) => {
    const byAccount: Record<string, number> = {};
    for (const entry of entries) byAccount[entry.account] = (byAccount[entry.account] ?? 0) + entry.amountMinor;
    return byAccount;
  };

  function postedFor(intent: PaymentIntent): LedgerTransaction[] {
    return intent.pullEvents().flatMap((event) => ledgerTransactionFor(event) ?? []);
  }

  it('holds on authorization, then releases the hold and books the sale on capture', () => {
    const intent = PaymentIntent.open(orderId, { paymentId, customerId: 'c', amount }, { approved: true });
    const [authorization] = postedFor(intent);
    expect(authorization.kind).toBe('authorization');
    expect(authorization.entries).toEqual([
      { account: LedgerAccounts.customerHolds, currency: 'EUR', amountMinor: 9000 },
      { account: LedgerAccounts.merchantHolds, currency: 'EUR', amountMinor: -9000 },
    ]);
    intent.capture();
    const [capture] = postedFor(intent);
    expect(capture.kind).toBe('capture');
    expect(balances([...authorization.entries, ...capture.entries])).toEqual({
      'customer-holds': 0,
      'merchant-holds': 0,
      'customer-receivable': 9000,
      'merchant-revenue': -9000,
    });
  });

  it('releases the hold on void, and reverses the sale on refund: the order nets to zero everywhere', () => {
    const voided = PaymentIntent.open(orderId, { paymentId, customerId: 'c', amount }, { approved: true });
    voided.void();
    expect(Object.values(balances(postedFor(voided).flatMap((t) => [...t.entries])))).toEqual([0, 0]);

    const refunded = PaymentIntent.open(orderId, { paymentId, customerId: 'c', amount }, { approved: true });
    refunded.capture();
    refunded.refund();
    const posted = postedFor(refunded);
    expect(posted.map((t) => t.kind)).toEqual(['authorization', 'capture', 'refund']);
    expect(Object.values(balances(posted.flatMap((t) => [...t.entries]))).every((sum) => sum === 0)).toBe(true);
    for (const transaction of posted) expect([...sumsByCurrency(transaction.entries).values()]).toEqual([0]);
  });

  it('books nothing for a declined payment, a void before authorization, or a free order', () => {
    const declined = PaymentIntent.open(orderId, { paymentId, customerId: 'c', amount }, { approved: false, reason: 'x' });
    expect(postedFor(declined)).toEqual([]);
    expect(postedFor(PaymentIntent.voidedBeforeAuthorization(orderId))).toEqual([]);
    const free = PaymentIntent.open(orderId, { paymentId, customerId: 'c', amount: { amountMinor: 0, currency: 'EUR' } }, { approved: true });
    free.capture();
    expect(postedFor(free)).toEqual([]);
  });
});
