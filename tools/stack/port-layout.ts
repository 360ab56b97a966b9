import { APPS, type AppName } from './contexts.js';
import { type ResolvedOptions } from './options.js';

/**
 * Fixed port arithmetic, so every address can be computed from the port base
 * without asking a running stack:
 *   app i (index in APPS), replica r     → base + 10*i + r
 *   the storefront (apps/web)            → base + 80
 *   the webhook receiver (demo client)   → base + 90
 *   jaeger: UI and query API, OTLP/HTTP, query gRPC → base + 95, 96, 97
 *   postgres shard s, node n (0: the first primary) → base + 100 + 10*s + n
 *   the restore rehearsal's two servers (npm run rehearse:restore) → base + 190, 191
 *   kafka broker b                       → base + 200 + 2*b (controller +1)
 */
export function appPort(portBase: number, app: AppName, replica: number): number {
  return portBase + 10 * APPS.indexOf(app) + replica;
}

/** The storefront's server (apps/web): the pages a browser opens. */
export function storefrontPort(portBase: number): number {
  return portBase + 80;
}

/** It runs whenever the gateway does: the gateway is what its pages call. */
export function runsStorefront(o: ResolvedOptions): boolean {
  return o.apps.includes('gateway');
}

/** The local stack's own webhook receiver (tools/stack/webhook-receiver.ts), the one target its webhooks may reach. */
export function webhookReceiverPort(portBase: number): number {
  return portBase + 90;
}

/** It runs whenever notifications does: it is what notifications' webhooks may call. */
export function runsWebhookReceiver(o: ResolvedOptions): boolean {
  return o.apps.includes('notifications');
}

/** The trace backend's ports (tools/stack/jaeger.ts). */
export function jaegerPorts(portBase: number): { ui: number; otlpHttp: number; queryGrpc: number } {
  return { ui: portBase + 95, otlpHttp: portBase + 96, queryGrpc: portBase + 97 };
}

export function postgresPort(portBase: number, shard: number, node: number): number {
  return portBase + 100 + 10 * shard + node;
}

/** `npm run rehearse:restore` (tools/restore-rehearsal): the shard it backs up, and the server it restores into. */
export function restoreRehearsalPorts(portBase: number): { source: number; restored: number } {
  return { source: portBase + 190, restored: portBase + 191 };
}

export function kafkaPorts(portBase: number, broker: number): { client: number; controller: number } {
  const client = portBase + 200 + 2 * broker;
  return { client, controller: client + 1 };
}

export function kafkaBrokerList(portBase: number, brokers: number): string[] {
  return Array.from({ length: brokers }, (_, b) => `127.0.0.1:${kafkaPorts(portBase, b).client}`);
}

export interface PortUse {
  port: number;
  /** Says what the port is for, in messages: "postgres shard 0 primary". */
  label: string;
}

/** Every port the started stack will listen on. */
export function requiredPorts(o: ResolvedOptions): PortUse[] {
  const ports: PortUse[] = [];
  for (let s = 0; s < o.shards; s++) {
    for (let n = 0; n <= o.replicasPerShard; n++) {
      ports.push({ port: postgresPort(o.portBase, s, n), label: `postgres shard ${s} node ${n}` });
    }
  }
  for (let b = 0; b < o.brokers; b++) {
    const { client, controller } = kafkaPorts(o.portBase, b);
    ports.push({ port: client, label: `kafka broker ${b}` }, { port: controller, label: `kafka broker ${b} controller` });
  }
  for (const app of o.apps) {
    for (let r = 0; r < o.appReplicas[app]; r++) ports.push({ port: appPort(o.portBase, app, r), label: `${app}-${r}` });
  }
  if (runsStorefront(o)) ports.push({ port: storefrontPort(o.portBase), label: 'storefront' });
  if (runsWebhookReceiver(o)) ports.push({ port: webhookReceiverPort(o.portBase), label: 'webhook receiver' });
  if (o.tracing) {
    const jaeger = jaegerPorts(o.portBase);
    ports.push({ port: jaeger.ui, label: 'jaeger UI' }, { port: jaeger.otlpHttp, label: 'jaeger OTLP' }, { port: jaeger.queryGrpc, label: 'jaeger query gRPC' });
  }
  return ports;
}

/**
 * What the stack's webhooks may reach: its own receiver only (WEBHOOK_ALLOWED_HOSTS),
 * and never any other port of the stack, on any address (WEBHOOK_DENIED_ADDRESSES),
 * should the allow-list be widened. Consecutive ports are written as one range.
 */
export function webhookTargets(o: ResolvedOptions): { allowedHosts: string; deniedAddresses: string } {
  const receiver = webhookReceiverPort(o.portBase);
  const ports = [...new Set(requiredPorts(o).map((p) => p.port))].filter((p) => p !== receiver).sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const port of ports) {
    const last = ranges.at(-1);
    if (last && last[1] === port - 1) last[1] = port;
    else ranges.push([port, port]);
  }
  return {
    allowedHosts: `127.0.0.1:${receiver}`,
    deniedAddresses: ranges.map(([from, to]) => (from === to ? `*:${from}` : `*:${from}-${to}`)).join(','),
  };
}
