/**
 * The operations console's answers (GET /admin/ops/*, ADR 0035) as the page
 * reads them: the fields it shows of the zod schemas in
 * libs/contracts/src/api/operations-api.ts.
 */
export interface DatabaseNode {
  node: string;
  role: 'primary' | 'standby';
  status: 'up' | 'down';
  error?: string;
  lagSeconds: number | null;
}

export interface StandbyReplication {
  standby: string;
  connected: boolean;
  state: string | null;
  syncState: string | null;
  lagBytes: number | null;
}

export interface Replica {
  service: string;
  instance: string;
  status: 'ready' | 'degraded' | 'not-ready' | 'stopped' | 'silent';
  checks: Record<string, 'up' | 'degraded' | 'down'>;
  silentForSeconds: number;
}

export interface Unavailable {
  context: string;
  status: 'unavailable';
  error: string;
}

export interface Topology {
  shards: { shard: number; nodes: DatabaseNode[]; replication: StandbyReplication[] | null; seenBy: string[] }[];
  unavailable: Unavailable[];
  kafka: { status: 'up'; clusterId: string; brokers: { nodeId: number; host: string; port: number; controller: boolean }[] } | { status: 'down'; error: string };
  replicas: Replica[];
}

export interface OutboxBacklog {
  contexts: ({ context: string; status: 'up'; shards: { shard: number; unpublished: number | null }[] } | Unavailable)[];
}

export interface ConsumerGroups {
  groups: { groupId: string; state: string; members: { clientId: string }[]; lag: number; topics: { topic: string; lag: number }[] }[];
}

export interface SagasInFlight {
  inFlight: number;
  states: { state: string; count: number; oldestPlacedAt: string }[];
}

export interface DeadLetters {
  topics: {
    topic: string;
    context: string;
    stored: number;
    latest: { partition: number; offset: string; timestamp: string; key: string | null; reason: string | null; originalTopic: string | null; group: string | null; attempts: number | null }[];
  }[];
}

export interface AdminShow {
  id: string;
  venueId: string;
  title: string;
  startsAt: string;
  status: 'draft' | 'published' | 'cancelled';
}
