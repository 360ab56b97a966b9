import type { Result } from '@boxoffice/ddd';
import type { PaymentAnswer } from '../../src/domain/payment-intent/payment-answer.js';
import { PaymentIntent, type PaymentStatus } from '../../src/domain/payment-intent/payment-intent.aggregate.js';

const orderId = '01960000-0000-7000-8000-000000000010';
const paymentId = '01960000-0000-7000-8000-000000000020';
const amount = { amountMinor: 9000, currency: 'EUR' };
const request = { customerId: 'customer-1', amount };

function opened(approved = true): PaymentIntent {
  return PaymentIntent.open(orderId, { paymentId, ...request }, approved ? { approved: true } : { approved: false, reason: 'insufficient-funds' });
}

/** An intent as loaded from the database: no pending events. */
function stored(status: PaymentStatus, version = 3): PaymentIntent {
  return PaymentIntent.restore({
    orderId,
    version,
    requested: { paymentId, ...request },
    status,
    declineReason: status === 'declined' ? 'insufficient-funds' : null,
  });
}

function rejection(result: Result<PaymentAnswer>): string | undefined {
  return result.ok ? undefined : result.error.code;
}

/** Asserts that a command changed nothing: same status, same version, no events. */
function expectUnchanged(intent: PaymentIntent, status: PaymentStatus, version: number): void {
  expect(intent.status).toBe(status);
  expect(intent.version).toBe(version);
  expect(intent.pullEvents()).toEqual([]);
}

describe('PaymentIntent', () => {
  describe('authorize', () => {
    it('opens an authorized intent at version 1 when the provider approves', () => {
      const intent = opened();
      expect(intent.status).toBe('authorized');
      expect(intent.version).toBe(1);
      expect(intent.pullEvents()).toEqual([
        { type: 'payments.payment-authorized', aggregateId: orderId, aggregateVersion: 1, payload: { orderId, paymentId, amount } },
      ]);
      expect(intent.authorize(request)).toEqual({ ok: true, value: { outcome: 'authorized', orderId, paymentId, amount } });
    });

    it('opens a declined intent with the reason when the provider declines', () => {
      const intent = opened(false);
      expect(intent.status).toBe('declined');
      expect(intent.declineReason).toBe('insufficient-funds');
      expect(intent.pullEvents().map((e) => e.type)).toEqual(['payments.payment-declined']);
      expect(intent.authorize(request)).toEqual({ ok: true, value: { outcome: 'declined', orderId, reason: 'insufficient-funds' } });
    });

    const authorized: PaymentAnswer = { outcome: 'authorized', orderId, paymentId, amount };
    it.each<[PaymentStatus, PaymentAnswer]>([
      ['authorized', authorized],
      ['captured', authorized],
      ['voided', authorized],
      ['refunded', authorized],
      ['declined', { outcome: 'declined', orderId, reason: 'insufficient-funds' }],
    ])('answers a repeated authorize of a %s intent as the first time and changes nothing', (status, answer) => {
      const intent = stored(status);
      expect(intent.authorize({ customerId: 'customer-1', amount: { amountMinor: 9000, currency: 'EUR' } })).toEqual({ ok: true, value: answer });
      expectUnchanged(intent, status, 3);
    });

    it('rejects an authorize for the same order with another amount or customer', () => {
      const intent = stored('authorized');
      expect(rejection(intent.authorize({ customerId: 'customer-1', amount: { amountMinor: 9001, currency: 'EUR' } }))).toBe('authorization-mismatch');
      expect(rejection(intent.authorize({ customerId: 'customer-1', amount: { amountMinor: 9000, currency: 'USD' } }))).toBe('authorization-mismatch');
      expect(rejection(intent.authorize({ customerId: 'customer-2', amount }))).toBe('authorization-mismatch');
      expectUnchanged(intent, 'authorized', 3);
    });
  });

  describe('capture', () => {
    it('captures an authorized intent once, raising one capture', () => {
      const intent = stored('authorized');
      expect(intent.capture()).toEqual({ ok: true, value: { outcome: 'captured', orderId, paymentId, amount } });
      expect(intent.status).toBe('captured');
      expect(intent.version).toBe(4);
      expect(intent.pullEvents()).toEqual([
        { type: 'payments.payment-captured', aggregateId: orderId, aggregateVersion: 4, payload: { orderId, paymentId, amount } },
      ]);

      expect(intent.capture()).toEqual({ ok: true, value: { outcome: 'captured', orderId, paymentId, amount } });
      expectUnchanged(intent, 'captured', 4);
    });

    it('answers a capture of a refunded intent as captured, and takes nothing', () => {
      const intent = stored('refunded');
      expect(intent.capture()).toEqual({ ok: true, value: { outcome: 'captured', orderId, paymentId, amount } });
      expectUnchanged(intent, 'refunded', 3);
    });

    it.each<[PaymentStatus, string]>([
      ['declined', 'payment-declined'],
      ['voided', 'payment-voided'],
    ])('rejects a capture of a %s intent (%s)', (status, code) => {
      const intent = stored(status);
      expect(rejection(intent.capture())).toBe(code);
      expectUnchanged(intent, status, 3);
    });
  });

  describe('void', () => {
    it('voids an authorized intent once', () => {
      const intent = stored('authorized');
      expect(intent.void()).toEqual({ ok: true, value: { outcome: 'voided', orderId, paymentId } });
      expect(intent.pullEvents().map((e) => [e.type, e.aggregateVersion])).toEqual([['payments.payment-voided', 4]]);
      expect(intent.void()).toEqual({ ok: true, value: { outcome: 'voided', orderId, paymentId } });
      expectUnchanged(intent, 'voided', 4);
    });

    it('voids a declined intent as a harmless no-op, with no payment id', () => {
      const intent = stored('declined');
      expect(intent.void()).toEqual({ ok: true, value: { outcome: 'voided', orderId, paymentId: null } });
      expectUnchanged(intent, 'declined', 3);
    });

    it.each<[PaymentStatus, string]>([
      ['captured', 'payment-captured'],
      ['refunded', 'payment-refunded'],
    ])('rejects a void of a %s intent (%s)', (status, code) => {
      const intent = stored(status);
      expect(rejection(intent.void())).toBe(code);
      expectUnchanged(intent, status, 3);
    });
  });

  describe('void before authorization', () => {
    it('leaves a voided intent with no payment, answered voided with no payment id', () => {
      const intent = PaymentIntent.voidedBeforeAuthorization(orderId);
      expect(intent.status).toBe('voided');
      expect(intent.requested).toBeNull();
      expect(intent.version).toBe(1);
      expect(intent.pullEvents().map((e) => e.type)).toEqual(['payments.voided-before-authorization']);
      expect(intent.void()).toEqual({ ok: true, value: { outcome: 'voided', orderId, paymentId: null } });
      expectUnchanged(intent, 'voided', 1);
    });

    it('refuses the authorization that arrives late, and any capture or refund', () => {
      const intent = PaymentIntent.voidedBeforeAuthorization(orderId);
      intent.pullEvents();
      expect(rejection(intent.authorize(request))).toBe('payment-voided');
      expect(rejection(intent.capture())).toBe('payment-voided');
      expect(rejection(intent.refund())).toBe('payment-voided');
      expectUnchanged(intent, 'voided', 1);
    });
  });

  describe('refund', () => {
    it('refunds a captured intent once', () => {
      const intent = stored('captured');
      expect(intent.refund()).toEqual({ ok: true, value: { outcome: 'refunded', orderId, paymentId, amount } });
      expect(intent.pullEvents().map((e) => [e.type, e.aggregateVersion])).toEqual([['payments.payment-refunded', 4]]);
      expect(intent.refund()).toEqual({ ok: true, value: { outcome: 'refunded', orderId, paymentId, amount } });
      expectUnchanged(intent, 'refunded', 4);
    });

    it.each<[PaymentStatus, string]>([
      ['authorized', 'payment-not-captured'],
      ['declined', 'payment-declined'],
      ['voided', 'payment-voided'],
    ])('rejects a refund of a %s intent (%s)', (status, code) => {
      const intent = stored(status);
      expect(rejection(intent.refund())).toBe(code);
      expectUnchanged(intent, status, 3);
    });
  });

  it('walks the whole happy path with one event per change and versions in order', () => {
    const intent = opened();
    intent.capture();
    intent.refund();
    expect(intent.pullEvents().map((e) => [e.type, e.aggregateVersion])).toEqual([
      ['payments.payment-authorized', 1],
      ['payments.payment-captured', 2],
      ['payments.payment-refunded', 3],
    ]);
  });
});
