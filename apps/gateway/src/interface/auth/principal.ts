import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '@boxoffice/platform';

/** Who is calling, from a verified bearer token: the same principal the caller tokens carry to the contexts. */
export type { Principal, Role } from '@boxoffice/platform';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // The guard runs first on every route that uses this; reaching here without one is a wiring bug.
  if (!principal) throw new Error('route uses @CurrentPrincipal without @RequireRole');
  return principal;
});
