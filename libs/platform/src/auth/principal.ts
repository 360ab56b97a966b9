export type Role = 'customer' | 'admin';

export const ROLES: readonly Role[] = ['customer', 'admin'];

/** The end user a request acts for: who the gateway authenticated. */
export interface Principal {
  id: string;
  email: string;
  role: Role;
}

/**
 * Whose data a principal may see: a customer only their own (their id), an
 * admin anyone's (undefined: no restriction).
 */
export function ownerScope(principal: Principal): string | undefined {
  return principal.role === 'admin' ? undefined : principal.id;
}
