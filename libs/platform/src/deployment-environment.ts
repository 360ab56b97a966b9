/**
 * `BOXOFFICE_ENV`: `production` (the default, when unset) or `development`
 * (the local stack, docker-compose's try-out, the local k8s overlay). A
 * production process refuses to start with a development default for a
 * secret — any value carrying a marker below, as every default in this
 * repository does — or with demo tokens on: a forgotten setting stops the
 * boot with its name instead of running with a key everyone has read on
 * GitHub.
 */
export type DeploymentEnvironment = 'production' | 'development';

export const ENVIRONMENT_SETTING = 'BOXOFFICE_ENV';

/** Settings that hold secrets or trust anchors, wherever they are read. */
export const SECRET_SETTINGS = [
  'JWT_SECRET',
  'JWT_PREVIOUS_SECRET',
  'TICKET_SIGNING_SECRET',
  'TICKET_PREVIOUS_SIGNING_SECRET',
  'WEBHOOK_SIGNING_SECRET',
  'WEBHOOK_PREVIOUS_SIGNING_SECRET',
  'CALLER_TOKEN_SIGNING_KEY',
  // Not secret, but a development public key means a development private key is trusted.
  'CALLER_TOKEN_PUBLIC_KEYS',
] as const;

/** What marks a development default or a placeholder (case-insensitive). */
export const DEVELOPMENT_MARKERS = ['not-for-production', 'change-me'] as const;

export function deploymentEnvironmentFromEnv(env: NodeJS.ProcessEnv = process.env): DeploymentEnvironment {
  const value = env[ENVIRONMENT_SETTING] ?? 'production';
  if (value !== 'production' && value !== 'development') throw new Error(`Setting ${ENVIRONMENT_SETTING} must be production or development (unset: production)`);
  return value;
}

/** Throws, naming the settings (never their values), when a production process has development settings. */
export function refuseDevelopmentSettingsInProduction(env: NodeJS.ProcessEnv = process.env): void {
  if (deploymentEnvironmentFromEnv(env) !== 'production') return;
  const defaults = SECRET_SETTINGS.filter((name) => {
    const value = env[name]?.toLowerCase();
    return value !== undefined && DEVELOPMENT_MARKERS.some((marker) => value.includes(marker));
  });
  const problems = [
    ...(defaults.length > 0 ? [`${defaults.join(', ')} ${defaults.length === 1 ? 'has' : 'have'} a development default or placeholder value`] : []),
    ...(env.DEMO_AUTH === 'true' ? ['DEMO_AUTH=true hands out tokens to anyone'] : []),
  ];
  if (problems.length > 0) {
    throw new Error(`Refusing to start in production (${ENVIRONMENT_SETTING} unset or production): ${problems.join('; ')}. Set real values, or ${ENVIRONMENT_SETTING}=development for a local try-out.`);
  }
}
