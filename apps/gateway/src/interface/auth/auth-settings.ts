export interface AuthSettings {
  /** Signs demo tokens and verifies bearer tokens. */
  jwtSecret: string;
  /**
   * During a rollover only: the secret before JWT_SECRET, still accepted for
   * tokens issued with it (never used to sign). docs/deployment.md: rotation.
   */
  previousJwtSecret: string | null;
  /** Issue demo tokens at POST /auth/demo-token: for local stacks only. */
  demoTokens: boolean;
}

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

export function authSettingsFromEnv(env: NodeJS.ProcessEnv): AuthSettings {
  const jwtSecret = env.JWT_SECRET ?? '';
  if (jwtSecret.length < 32) throw new Error('Setting JWT_SECRET is missing or shorter than 32 characters');
  const previousJwtSecret = env.JWT_PREVIOUS_SECRET || null;
  if (previousJwtSecret !== null && previousJwtSecret.length < 32) throw new Error('Setting JWT_PREVIOUS_SECRET is shorter than 32 characters');
  return { jwtSecret, previousJwtSecret, demoTokens: env.DEMO_AUTH === 'true' };
}
