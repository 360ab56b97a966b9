import type { IncomingMessage } from 'node:http';
import { createParamDecorator, Injectable, Logger, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { problem } from '../http/problem.js';
import { ProblemException } from '../http/problem-exception.js';
import type { CallerRequest } from './caller-authentication.js';
import { bodyDigest } from './caller-token.js';
import type { Principal, Role } from './principal.js';

/** Who may call a route: `anyone` the gateway forwards (signed-in or not), or end users with one of these roles. */
export type Allowed = 'anyone' | Role;

const ALLOWED = 'boxoffice:allowed-callers';
const WITHOUT_TOKEN = 'boxoffice:without-caller-token';

/** Every route of a context declares who may call it; a route without a rule is refused (CallerGuard). */
export const Allow = (...allowed: [Allowed, ...Allowed[]]) => SetMetadata(ALLOWED, allowed);

/** Health and metrics only: answered without a caller token (see PATHS_WITHOUT_CALLER_TOKEN). */
export const WithoutCallerToken = () => SetMetadata(WITHOUT_TOKEN, true);

/** The end user of a route that requires one (`@Allow('customer', …)`). */
export const CallerPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<CallerRequest>().caller?.principal;
  // CallerGuard lets a request without a principal reach only `anyone` routes; here without one is a wiring bug.
  if (!principal) throw new Error("route uses @CallerPrincipal but allows 'anyone'");
  return principal;
});

/** The end user on a route that also allows `anyone`: null for an anonymous request. */
export const OptionalCallerPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | null => context.switchToHttp().getRequest<CallerRequest>().caller?.principal ?? null,
);

/**
 * Installed globally on every context (not the gateway) by runService. The
 * caller-authentication middleware has verified the token; this checks that
 * the route's @Allow rule admits the principal it carries (the body is
 * checked against the token as it is read: refuseBodyNotSigned). 401 without a usable token, 403
 * with the wrong role (or a route that declares no rule at all).
 */
@Injectable()
export class CallerGuard implements CanActivate {
  private readonly logger = new Logger('CallerGuard');

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    // Kafka handlers inherit the app's guards; messages are checked by their own contracts.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(WITHOUT_TOKEN, targets)) return true;
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const caller = request.caller;
    if (!caller) throw unauthorized('a caller token from the gateway is required');
    const allowed = this.reflector.getAllAndOverride<Allowed[]>(ALLOWED, targets);
    if (!allowed) {
      this.logger.error({ msg: 'route declares no @Allow rule: refused', route: `${request.method} ${request.route?.path ?? request.path}` });
      throw forbidden('this route declares who may call it nowhere');
    }
    if (allowed.includes('anyone')) return true;
    if (!caller.principal) throw unauthorized(`requires a signed-in ${allowed.join(' or ')}`);
    if (!allowed.includes(caller.principal.role)) throw forbidden(`requires role ${allowed.join(' or ')}`);
    return true;
  }
}

function unauthorized(detail: string): ProblemException {
  return new ProblemException(problem(401, 'caller-unauthenticated', 'Unauthorized', { detail }));
}

function forbidden(detail: string): ProblemException {
  return new ProblemException(problem(403, 'forbidden', 'Forbidden', { detail }));
}

/**
 * The body check of a caller token, run by JsonBodyInterceptor as a route
 * that takes a body reads it: its bytes must be the ones the gateway signed
 * (none, if the token names no body).
 */
export function refuseBodyNotSigned(request: IncomingMessage, raw: Buffer | undefined): void {
  const caller = (request as CallerRequest).caller;
  if (!caller) return; // health and metrics: no token, and no body
  const body = raw && raw.length > 0 ? bodyDigest(raw) : null;
  if (body !== caller.bodyDigest) throw unauthorized('the caller token was issued for another body');
}
