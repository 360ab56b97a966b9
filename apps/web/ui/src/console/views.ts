// Type-only, like the storefront's (../app/api.ts): erased by the build.
import type {
  ConsumerGroupsView,
  DatabaseNodeView,
  DeadLettersView,
  OutboxBacklogView,
  ReplicaView,
  SagasInFlightView,
  ShowView,
  StandbyReplicationView,
  TopologyView,
} from '@boxoffice/contracts';

/**
 * The operations console's answers (GET /admin/ops/*, ADR 0035) as the page
 * reads them: the gateway's own types, inferred from the zod schemas in
 * libs/contracts/src/api/operations-api.ts that it answers and documents with.
 */
export type DatabaseNode = DatabaseNodeView;
export type StandbyReplication = StandbyReplicationView;
export type Replica = ReplicaView;
export type Topology = TopologyView;
export type OutboxBacklog = OutboxBacklogView;
export type ConsumerGroups = ConsumerGroupsView;
export type SagasInFlight = SagasInFlightView;
export type DeadLetters = DeadLettersView;
export type AdminShow = ShowView;
