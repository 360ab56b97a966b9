/**
 * The deployable units and what each needs from the data layer. The launcher,
 * the test harness and the docs' CAP table all read this one list.
 */
export type CapChoice = 'CP' | 'AP';

export interface ContextSpec {
  /** App folder under apps/ and its database name. */
  name: string;
  /** Sharded contexts get a database on every shard; the others live on shard 0. */
  sharded: boolean;
  /** CP databases commit synchronously to a standby; AP ones commit locally. */
  cap: CapChoice;
}

export const DATA_CONTEXTS: ContextSpec[] = [
  { name: 'catalog', sharded: false, cap: 'AP' },
  { name: 'inventory', sharded: true, cap: 'CP' },
  { name: 'ordering', sharded: true, cap: 'CP' },
  { name: 'payments', sharded: false, cap: 'CP' },
  { name: 'ticketing', sharded: true, cap: 'AP' },
  { name: 'notifications', sharded: false, cap: 'AP' },
];

/** Start order: the gateway last, so its upstreams are ready when it is. */
export const APPS = ['catalog', 'inventory', 'ordering', 'payments', 'ticketing', 'notifications', 'gateway'] as const;
export type AppName = (typeof APPS)[number];

/**
 * Everything a deployment runs: the apps, and the storefront's server
 * (apps/web, ADR 0033), which serves pages and is no NestJS app; the launcher
 * starts it beside the gateway (tools/stack/web-process.ts).
 */
export const DEPLOYABLES = [...APPS, 'web'] as const;
export type Deployable = (typeof DEPLOYABLES)[number];
