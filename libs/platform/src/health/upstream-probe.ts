import { PROBE_TIMEOUT_MS } from './shard-probe.js';

/** A context a service calls over HTTP, with the base URL of each of its replicas (the gateway's `<NAME>_URLS`). */
export interface UpstreamContext {
  name: string;
  baseUrls: string[];
}

export type ReplicaReach = { url: string; status: 'up' } | { url: string; status: 'down'; error: string };

/**
 * Whether each replica of each upstream context answers `/health/live` within
 * PROBE_TIMEOUT_MS. Liveness, not readiness: the question is whether the
 * caller can reach the context; what the context can do then is its own
 * readiness, and the caller passes its answers (503 included) on. Chaining
 * readiness would take the whole edge out of service when, say, the broker is
 * down, though reads that need no broker still work (ADR 0021).
 */
export class UpstreamProbe {
  constructor(readonly contexts: UpstreamContext[]) {}

  reach(context: UpstreamContext): Promise<ReplicaReach[]> {
    return Promise.all(context.baseUrls.map((url) => reachReplica(url)));
  }
}

async function reachReplica(url: string): Promise<ReplicaReach> {
  try {
    const response = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.status === 200 ? { url, status: 'up' } : { url, status: 'down', error: `answered ${response.status}` };
  } catch (error) {
    return { url, status: 'down', error: describe(error) };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${PROBE_TIMEOUT_MS} ms`;
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}
