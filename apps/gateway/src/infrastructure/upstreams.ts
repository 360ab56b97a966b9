import { Upstream } from './upstream.js';

/** The contexts the gateway routes to, from `<NAME>_URLS` settings. */
export class Upstreams {
  readonly catalog: Upstream;
  readonly inventory: Upstream;
  readonly ordering: Upstream;
  readonly ticketing: Upstream;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.catalog = new Upstream('catalog', urls(env, 'CATALOG_URLS'));
    this.inventory = new Upstream('inventory', urls(env, 'INVENTORY_URLS'));
    this.ordering = new Upstream('ordering', urls(env, 'ORDERING_URLS'));
    this.ticketing = new Upstream('ticketing', urls(env, 'TICKETING_URLS'));
  }

  /** Every context the gateway routes to: its readiness needs each of them (ADR 0021). */
  all(): Upstream[] {
    return [this.catalog, this.inventory, this.ordering, this.ticketing];
  }
}

function urls(env: NodeJS.ProcessEnv, name: string): string[] {
  const list = (env[name] ?? '').split(',').map((u) => u.trim().replace(/\/$/, '')).filter(Boolean);
  if (list.length === 0) throw new Error(`Missing setting ${name} (comma-separated base URLs of that context)`);
  return list;
}
