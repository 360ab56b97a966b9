import { webhookSignature, webhookSignatures } from '../../src/infrastructure/webhook/webhook-signature.js';

describe('webhookSignature', () => {
  const body = '{"event":"order.confirmed","orderId":"x"}';

  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    // Computed independently: printf '1767225600.<body>' | openssl dgst -sha256 -hmac local-test-webhook-secret
    expect(webhookSignature('local-test-webhook-secret', '1767225600', body)).toBe('sha256=ffcb02e6b76b36291dc0eafbb3847dcb9130afedc163426f01c488ee2c4867fa');
  });

  it('changes with the timestamp, the body and the secret', () => {
    const original = webhookSignature('local-test-webhook-secret', '1767225600', body);
    expect(webhookSignature('local-test-webhook-secret', '1767225601', body)).not.toBe(original);
    expect(webhookSignature('local-test-webhook-secret', '1767225600', body.replace('x', 'y'))).not.toBe(original);
    expect(webhookSignature('another-webhook-secret', '1767225600', body)).not.toBe(original);
  });
});

describe('webhookSignatures: a secret rollover', () => {
  const body = '{"event":"order.confirmed","orderId":"x"}';

  it('lists one signature per secret, the current one first, so a receiver holding either secret finds its own', () => {
    expect(webhookSignatures(['local-test-webhook-secret'], '1767225600', body)).toBe(webhookSignature('local-test-webhook-secret', '1767225600', body));
    expect(webhookSignatures(['new-webhook-secret-2027', 'local-test-webhook-secret'], '1767225600', body)).toBe(
      `${webhookSignature('new-webhook-secret-2027', '1767225600', body)}, sha256=ffcb02e6b76b36291dc0eafbb3847dcb9130afedc163426f01c488ee2c4867fa`,
    );
  });
});
