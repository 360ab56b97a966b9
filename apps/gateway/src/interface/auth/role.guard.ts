import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, SetMetadata, UseGuards, applyDecorators, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { Text } from '@boxoffice/contracts';
import { problem, ProblemException } from '@boxoffice/platform';
import { AUTH_SETTINGS, type AuthSettings } from './auth-settings.js';
import { ApiProblems } from '../http/openapi.js';
import type { AuthenticatedRequest, Role } from './principal.js';

const ROLES = 'boxoffice:roles';

const Claims = z.object({ sub: Text.min(1).max(100), email: z.email(), role: z.enum(['customer', 'admin']) });

/**
 * Bearer JWT (HS256) with a role claim. Customers act for themselves; admins
 * may do what customers do and manage the catalog. 401 without a valid
 * token, 403 with the wrong role: both as problem+json. During a secret
 * rollover a token that JWT_SECRET does not verify is tried with
 * JWT_PREVIOUS_SECRET.
 */
@Injectable()
export class RoleGuard implements CanActivate {
  /** A KeyObject, as JwtModule's own secret: jsonwebtoken would otherwise try to read the string as a public key first. */
  private readonly previousKey: KeyObject | null;

  constructor(
    private readonly reflector: Reflector,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(AUTH_SETTINGS) settings: AuthSettings,
  ) {
    this.previousKey = settings.previousJwtSecret === null ? null : createSecretKey(Buffer.from(settings.previousJwtSecret));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES, [context.getHandler(), context.getClass()]) ?? [];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw unauthorized('a bearer token is required');
    let claims: z.infer<typeof Claims>;
    try {
      claims = Claims.parse(await this.verify(token));
    } catch (error) {
      const expiredAt = expiryOf(error);
      if (expiredAt) throw unauthorized(`the bearer token expired at ${expiredAt.toISOString()}; sign in again for a new one`, 'the bearer token expired');
      throw unauthorized('the bearer token is invalid', 'the bearer token is invalid');
    }
    if (!allowed.includes(claims.role)) throw new ProblemException(problem(403, 'forbidden', 'Forbidden', { detail: `requires role ${allowed.join(' or ')}` }));
    request.principal = { id: claims.sub, email: claims.email, role: claims.role };
    return true;
  }

  private async verify(token: string): Promise<unknown> {
    try {
      return await this.jwt.verifyAsync(token);
    } catch (error) {
      // Expired is only said of a token whose signature held: the previous secret has nothing to add.
      if (!this.previousKey || expiryOf(error)) throw error;
      return this.jwt.verifyAsync(token, { secret: this.previousKey as unknown as string });
    }
  }
}

/** Marks a route (or controller) as needing one of these roles. */
export function RequireRole(...roles: Role[]) {
  return applyDecorators(SetMetadata(ROLES, roles), UseGuards(RoleGuard), ApiBearerAuth(), ApiProblems(401, 403));
}

/**
 * A 401 says which scheme to authenticate with (RFC 9110 §11.6.1) and, for a
 * token that was sent, what is wrong with it (RFC 6750 §3.1: `invalid_token`),
 * so a client can tell an expired token, to be renewed, from a bad one.
 */
function unauthorized(detail: string, invalidToken?: string): ProblemException {
  const challenge = invalidToken === undefined ? 'Bearer realm="boxoffice"' : `Bearer realm="boxoffice", error="invalid_token", error_description="${invalidToken}"`;
  return new ProblemException(problem(401, 'unauthorized', 'Unauthorized', { detail }), { 'WWW-Authenticate': challenge });
}

/** When a token whose signature held expired (jsonwebtoken's TokenExpiredError), or null for any other refusal. */
function expiryOf(error: unknown): Date | null {
  const expired = error as { name?: unknown; expiredAt?: unknown } | null;
  return expired?.name === 'TokenExpiredError' && expired.expiredAt instanceof Date ? expired.expiredAt : null;
}
