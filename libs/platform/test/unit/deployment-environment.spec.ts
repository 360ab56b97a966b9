import { deploymentEnvironmentFromEnv, refuseDevelopmentSettingsInProduction } from '../../src/deployment-environment.js';

/** A production boot never runs with a secret everyone can read in this repository, nor with demo tokens. */
const REAL = {
  JWT_SECRET: 'e3b9c1f0a8d2…a-real-secret-from-the-store',
  TICKET_SIGNING_SECRET: 'another-real-secret-from-the-store',
  WEBHOOK_SIGNING_SECRET: 'a-third-real-secret-from-the-store',
  CALLER_TOKEN_PUBLIC_KEYS: 'prod-2027-01:MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
  DEMO_AUTH: 'false',
};

describe('BOXOFFICE_ENV', () => {
  it('is production unless set to development', () => {
    expect(deploymentEnvironmentFromEnv({})).toBe('production');
    expect(deploymentEnvironmentFromEnv({ BOXOFFICE_ENV: 'development' })).toBe('development');
    expect(() => deploymentEnvironmentFromEnv({ BOXOFFICE_ENV: 'prod' })).toThrow(/BOXOFFICE_ENV must be production or development/);
  });
});

describe('a production boot', () => {
  it('starts with real secrets', () => {
    expect(() => refuseDevelopmentSettingsInProduction(REAL)).not.toThrow();
  });

  it.each([
    ['JWT_SECRET', 'local-development-jwt-secret-not-for-production'],
    ['JWT_PREVIOUS_SECRET', 'compose-local-jwt-secret-not-for-production'],
    ['TICKET_SIGNING_SECRET', 'local-development-ticket-secret-not-for-production'],
    ['TICKET_PREVIOUS_SIGNING_SECRET', 'local-development-ticket-secret-not-for-production'],
    ['WEBHOOK_SIGNING_SECRET', 'change-me-webhook-signing-secret'],
    ['WEBHOOK_PREVIOUS_SIGNING_SECRET', 'local-development-webhook-secret-not-for-production'],
    ['CALLER_TOKEN_SIGNING_KEY', 'compose-not-for-production:MIGHAgEAMBMGByqGSM49'],
    ['CALLER_TOKEN_PUBLIC_KEYS', 'prod-2027-01:MFkwEwYH,compose-NOT-FOR-PRODUCTION:MFkwEwYH'],
  ])('refuses a development default or placeholder in %s, naming it but not its value', (name, value) => {
    const boot = () => refuseDevelopmentSettingsInProduction({ ...REAL, [name]: value });
    expect(boot).toThrow(new RegExp(`Refusing to start in production.*${name}`));
    expect(boot).not.toThrow(value);
  });

  it('refuses demo tokens, also when BOXOFFICE_ENV is left unset', () => {
    expect(() => refuseDevelopmentSettingsInProduction({ ...REAL, DEMO_AUTH: 'true' })).toThrow(/DEMO_AUTH=true/);
    expect(() => refuseDevelopmentSettingsInProduction({ ...REAL, DEMO_AUTH: 'true', BOXOFFICE_ENV: 'production' })).toThrow(/DEMO_AUTH=true/);
  });
});

describe('a development boot', () => {
  it('takes the development defaults and demo tokens', () => {
    expect(() =>
      refuseDevelopmentSettingsInProduction({ BOXOFFICE_ENV: 'development', JWT_SECRET: 'local-development-jwt-secret-not-for-production', DEMO_AUTH: 'true' }),
    ).not.toThrow();
  });
});
