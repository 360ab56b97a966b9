import { CallerTokenSigner, publicKeysFromEnv, requireAcceptedSigningKey, signingKeyFromEnv } from '@boxoffice/platform';
import { Upstream } from './upstream.js';

/**
 * The contexts the gateway routes to, from `<NAME>_URLS` settings, and the
 * key that signs its caller tokens (CALLER_TOKEN_SIGNING_KEY), which must be
 * among the public keys the contexts accept (CALLER_TOKEN_PUBLIC_KEYS).
 */
export class Upstreams {
  readonly catalog: Upstream;
  readonly inventory: Upstream;
  readonly ordering: Upstream;
  readonly ticketing: Upstream;
  /** Called only by the operations console's routes, which read every context's databases (ADR 0035). */
  readonly payments: Upstream;
  readonly notifications: Upstream;

  constructor(env: NodeJS.ProcessEnv) {
    const signingKey = signingKeyFromEnv(env);
    requireAcceptedSigningKey(signingKey, publicKeysFromEnv(env));
    const signer = new CallerTokenSigner(signingKey);
    this.catalog = new Upstream('catalog', urls(env, 'CATALOG_URLS'), signer);
    this.inventory = new Upstream('inventory', urls(env, 'INVENTORY_URLS'), signer);
    this.ordering = new Upstream('ordering', urls(env, 'ORDERING_URLS'), signer);
    this.ticketing = new Upstream('ticketing', urls(env, 'TICKETING_URLS'), signer);
    this.payments = new Upstream('payments', urls(env, 'PAYMENTS_URLS'), signer);
    this.notifications = new Upstream('notifications', urls(env, 'NOTIFICATIONS_URLS'), signer);
  }

  /** Every context the gateway routes to: its readiness needs each of them (ADR 0021). */
  all(): Upstream[] {
    return [this.catalog, this.inventory, this.ordering, this.ticketing];
  }

  /**
   * Every context with a database, for the operations console: the sharded
   * ones first, which have a database on every shard. Not part of the
   * gateway's readiness: no public route needs payments or notifications.
   */
  withData(): Upstream[] {
    return [this.inventory, this.ordering, this.ticketing, this.catalog, this.payments, this.notifications];
  }
}

function urls(env: NodeJS.ProcessEnv, name: string): string[] {
  const list = (env[name] ?? '').split(',').map((u) => u.trim().replace(/\/$/, '')).filter(Boolean);
  if (list.length === 0) throw new Error(`Missing setting ${name} (comma-separated base URLs of that context)`);
  return list;
}
