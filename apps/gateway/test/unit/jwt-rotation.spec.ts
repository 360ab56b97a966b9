import { createSecretKey } from 'node:crypto';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ProblemException } from '@boxoffice/platform';
import { authSettingsFromEnv } from '../../src/interface/auth/auth-settings.js';
import type { AuthenticatedRequest } from '../../src/interface/auth/principal.js';
import { RequireRole, RoleGuard } from '../../src/interface/auth/role.guard.js';

/**
 * Rotating JWT_SECRET without downtime: while JWT_PREVIOUS_SECRET is set,
 * tokens signed with either secret are accepted; without it, only the
 * current one.
 */
const OLD = 'the-old-jwt-secret-of-at-least-32-characters';
const NEW = 'the-new-jwt-secret-of-at-least-32-characters';
const ROGUE = 'a-rogue-jwt-secret-of-at-least-32-characters';

class Routes {
  @RequireRole('customer')
  mine(): void {}
}

function guardFor(env: NodeJS.ProcessEnv): RoleGuard {
  const settings = authSettingsFromEnv(env);
  const jwt = new JwtService({ secret: createSecretKey(Buffer.from(settings.jwtSecret)) as unknown as string, verifyOptions: { algorithms: ['HS256'] } });
  return new RoleGuard(new Reflector(), jwt, settings);
}

function tokenSignedWith(secret: string): string {
  return new JwtService({ secret }).sign({ sub: 'alice', email: 'alice@example.test', role: 'customer' }, { algorithm: 'HS256', expiresIn: '1h' });
}

async function admits(guard: RoleGuard, token: string): Promise<boolean> {
  const request = { headers: { authorization: `Bearer ${token}` } } as unknown as AuthenticatedRequest;
  const context = { getHandler: () => Routes.prototype.mine, getClass: () => Routes, switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
  try {
    return (await guard.canActivate(context)) && request.principal?.id === 'alice';
  } catch (error) {
    if (error instanceof ProblemException && error.getStatus() === 401) return false;
    throw error;
  }
}

describe('the gateway’s bearer tokens across a JWT_SECRET rollover', () => {
  it('accepts tokens of the current and the previous secret during the rollover, and no other', async () => {
    const guard = guardFor({ JWT_SECRET: NEW, JWT_PREVIOUS_SECRET: OLD });
    expect(await admits(guard, tokenSignedWith(NEW))).toBe(true);
    expect(await admits(guard, tokenSignedWith(OLD))).toBe(true);
    expect(await admits(guard, tokenSignedWith(ROGUE))).toBe(false);
  });

  it('accepts only the current secret once the previous one is removed', async () => {
    const guard = guardFor({ JWT_SECRET: NEW });
    expect(await admits(guard, tokenSignedWith(NEW))).toBe(true);
    expect(await admits(guard, tokenSignedWith(OLD))).toBe(false);
  });

  it('refuses a short previous secret, naming it', () => {
    expect(() => authSettingsFromEnv({ JWT_SECRET: NEW, JWT_PREVIOUS_SECRET: 'short' })).toThrow(/JWT_PREVIOUS_SECRET/);
  });
});
