import { notificationSettingsFromEnv } from '../../src/infrastructure/notification-settings.js';

const required = { WEBHOOK_SIGNING_SECRET: 'unit-test-webhook-secret', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', MAILBOX_DIR: '/tmp/mailbox' };

describe('notification settings: WEBHOOK_DENIED_ADDRESSES', () => {
  it('denies loopback and the private ranges when unset', () => {
    const { deniedAddresses } = notificationSettingsFromEnv(required);
    for (const address of ['127.0.0.1', '::1', '10.96.0.1', '172.17.0.2', '192.168.1.1', 'fd00::5']) expect(deniedAddresses.refusal(address, 80)).toMatch(/is denied to webhooks/);
    expect(deniedAddresses.refusal('203.0.113.7', 443)).toBeUndefined();
  });

  it('replaces that default when set, and keeps the always-denied addresses', () => {
    const { deniedAddresses } = notificationSettingsFromEnv({ ...required, WEBHOOK_DENIED_ADDRESSES: '*:17000' });
    expect(deniedAddresses.refusal('127.0.0.1', 17000)).toMatch(/is denied to webhooks/);
    expect(deniedAddresses.refusal('127.0.0.1', 17090)).toBeUndefined();
    expect(deniedAddresses.refusal('169.254.169.254', 80)).toMatch(/is denied to webhooks/);
  });

  it('stops the boot on a malformed entry, naming the setting', () => {
    expect(() => notificationSettingsFromEnv({ ...required, WEBHOOK_DENIED_ADDRESSES: '10.0.0.0/8, internal.example' })).toThrow(
      'Setting WEBHOOK_DENIED_ADDRESSES is invalid: "internal.example" is not an address or CIDR range with an optional :port or :from-to',
    );
  });
});

describe('notification settings: signing secrets', () => {
  it('signs with WEBHOOK_SIGNING_SECRET alone, and with WEBHOOK_PREVIOUS_SIGNING_SECRET after it during a rollover', () => {
    expect(notificationSettingsFromEnv(required).webhookSigningSecrets).toEqual(['unit-test-webhook-secret']);
    expect(notificationSettingsFromEnv({ ...required, WEBHOOK_PREVIOUS_SIGNING_SECRET: 'the-secret-being-retired' }).webhookSigningSecrets).toEqual([
      'unit-test-webhook-secret',
      'the-secret-being-retired',
    ]);
    expect(notificationSettingsFromEnv({ ...required, WEBHOOK_PREVIOUS_SIGNING_SECRET: '' }).webhookSigningSecrets).toEqual(['unit-test-webhook-secret']);
  });

  it('refuses a previous secret that is too short or the same as the current one', () => {
    expect(() => notificationSettingsFromEnv({ ...required, WEBHOOK_PREVIOUS_SIGNING_SECRET: 'short' })).toThrow(/WEBHOOK_PREVIOUS_SIGNING_SECRET/);
    expect(() => notificationSettingsFromEnv({ ...required, WEBHOOK_PREVIOUS_SIGNING_SECRET: required.WEBHOOK_SIGNING_SECRET })).toThrow(/WEBHOOK_PREVIOUS_SIGNING_SECRET/);
  });
});
