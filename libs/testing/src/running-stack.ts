import { readFileSync } from 'node:fs';
import type { BucketMapDefinition, ShardConnection } from '@boxoffice/persistence';

/** What tests need to know about the stack the test command started (its stack.json). */
export interface RunningStackInfo {
  stateDir: string;
  gatewayUrl: string;
  docsUrl: string;
  kafka: { brokers: string[] };
  /** Per context, its DB_SHARDS: URLs with the context's own role, which reaches no other context's database. */
  databases: Record<string, ShardConnection[]>;
  /** The stack's Postgres superuser, for what no context may do (scratch databases); no app holds it. */
  postgresAdmin: { user: string; password: string };
  bucketMap: BucketMapDefinition;
  apps: Record<string, { instance: string; port: number; url: string; pid: number; log: string }[]>;
  /** The stack's own webhook receiver (tools/stack/webhook-receiver.ts): the one place its webhooks may go. */
  webhookReceiver: { url: string; port: number };
  /** The stack's trace backend (tools/stack/jaeger.ts): UI and query API at `url`; null when the stack runs without tracing. */
  jaeger: { url: string; otlpEndpoint: string } | null;
  /** The storefront's pages (apps/web), calling the gateway at gatewayUrl. */
  storefront: { url: string; port: number };
  /** The file with the stack's caller-token keys (see contextClient). */
  callerTokenKeys: string;
}

/**
 * Integration and end-to-end tests run against the real stack that the test
 * command started; it names that stack's description in BOXOFFICE_STACK_FILE.
 */
export function runningStack(): RunningStackInfo {
  const file = process.env.BOXOFFICE_STACK_FILE;
  if (!file) throw new Error('BOXOFFICE_STACK_FILE is not set: run these tests through `npm test`, which starts the stack');
  return JSON.parse(readFileSync(file, 'utf8')) as RunningStackInfo;
}
