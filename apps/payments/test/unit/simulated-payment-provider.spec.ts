import { declineScore, SimulatedPaymentProvider } from '../../src/infrastructure/provider/simulated-payment-provider.js';
import { simulatorSettingsFromEnv } from '../../src/infrastructure/provider/simulator-settings.js';

const amount = { amountMinor: 1000, currency: 'EUR' };
/** Fixed order ids, so the spread below is the same on every run. */
const orderIds = Array.from({ length: 4000 }, (_, i) => `01960000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`);

async function declinedShare(provider: SimulatedPaymentProvider): Promise<number> {
  const decisions = await Promise.all(orderIds.map((orderId) => provider.authorize({ orderId, customerId: 'customer', amount })));
  return decisions.filter((d) => !d.approved).length / orderIds.length;
}

describe('SimulatedPaymentProvider', () => {
  it('approves everyone at decline rate 0 and no one at rate 1', async () => {
    expect(await declinedShare(new SimulatedPaymentProvider({ declineRate: 0, latencyMs: 0 }))).toBe(0);
    expect(await declinedShare(new SimulatedPaymentProvider({ declineRate: 1, latencyMs: 0 }))).toBe(1);
  });

  it('declines about the configured share of orders', async () => {
    const share = await declinedShare(new SimulatedPaymentProvider({ declineRate: 0.3, latencyMs: 0 }));
    expect(share).toBeGreaterThan(0.27);
    expect(share).toBeLessThan(0.33);
  });

  it('gives an order the same decision every time it is asked', async () => {
    const provider = new SimulatedPaymentProvider({ declineRate: 0.5, latencyMs: 0 });
    for (const orderId of orderIds.slice(0, 50)) {
      const first = await provider.authorize({ orderId, customerId: 'customer', amount });
      expect(await provider.authorize({ orderId, customerId: 'customer', amount })).toEqual(first);
      expect(first.approved).toBe(declineScore(orderId) >= 0.5);
    }
  });

  it('always declines test customers whose id starts with "decline"', async () => {
    const provider = new SimulatedPaymentProvider({ declineRate: 0, latencyMs: 0 });
    expect(await provider.authorize({ orderId: orderIds[0], customerId: 'decline-me', amount })).toEqual({ approved: false, reason: 'test-customer-declined' });
    expect(await provider.authorize({ orderId: orderIds[0], customerId: 'declined@example.com', amount })).toMatchObject({ approved: false });
    expect(await provider.authorize({ orderId: orderIds[0], customerId: 'customer-decline', amount })).toEqual({ approved: true });
  });
});

describe('simulator settings', () => {
  it('default to no declines and no latency', () => {
    expect(simulatorSettingsFromEnv({})).toEqual({ declineRate: 0, latencyMs: 0 });
  });

  it('read PAYMENT_DECLINE_RATE and PAYMENT_LATENCY_MS', () => {
    expect(simulatorSettingsFromEnv({ PAYMENT_DECLINE_RATE: '0.25', PAYMENT_LATENCY_MS: '150' })).toEqual({ declineRate: 0.25, latencyMs: 150 });
  });

  it.each([
    [{ PAYMENT_DECLINE_RATE: '1.5' }, /PAYMENT_DECLINE_RATE/],
    [{ PAYMENT_DECLINE_RATE: 'often' }, /PAYMENT_DECLINE_RATE/],
    [{ PAYMENT_LATENCY_MS: '-1' }, /PAYMENT_LATENCY_MS/],
    [{ PAYMENT_LATENCY_MS: '2.5' }, /PAYMENT_LATENCY_MS/],
    [{ PAYMENT_LATENCY_MS: '5001' }, /PAYMENT_LATENCY_MS=5001: expected whole milliseconds from 0 to 5000/],
  ])('refuse a bad value, naming the setting (%o)', (env, message) => {
    expect(() => simulatorSettingsFromEnv(env)).toThrow(message);
  });
});
