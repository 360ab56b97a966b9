import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export type Role = 'customer' | 'admin';

/** Who is calling, from a verified bearer token. */
export interface Principal {
  id: string;
  email: string;
  role: Role;
}

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // The guard runs first on every route that uses this; reaching here without one is a wiring bug.
  if (!principal) throw new Error('route uses @CurrentPrincipal without @RequireRole');
  return principal;
});
