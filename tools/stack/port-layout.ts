import { APPS, type AppName } from './contexts.js';
import { type ResolvedOptions } from './options.js';

/**
 * Fixed port arithmetic, so every address can be computed from the port base
 * without asking a running stack:
 *   app i (index in APPS), replica r     → base + 10*i + r
 *   postgres shard s, node n (0: the first primary) → base + 100 + 10*s + n
 *   kafka broker b                       → base + 200 + 2*b (controller +1)
 */
export function appPort(portBase: number, app: AppName, replica: number): number {
  return portBase + 10 * APPS.indexOf(app) + replica;
}

export function postgresPort(portBase: number, shard: number, node: number): number {
  return portBase + 100 + 10 * shard + node;
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
  return ports;
}
