export interface AuthSettings {
  jwtSecret: string;
  /** Issue demo tokens at POST /auth/demo-token: for local stacks only. */
  demoTokens: boolean;
}

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

export function authSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const jwtSecret = env.JWT_SECRET ?? '';
  if (jwtSecret.length < 32) throw new Error('Setting JWT_SECRET is missing or shorter than 32 characters');
  return { jwtSecret, demoTokens: env.DEMO_AUTH === 'true' };
}
