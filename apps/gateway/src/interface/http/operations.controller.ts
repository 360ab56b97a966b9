import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ConsumerGroupsView,
  ContextDatabasesView,
  DeadLetterTopics,
  DeadLettersView,
  OrderOutcomesView,
  OutboxBacklogView,
  SagasInFlightView,
  TopologyView,
} from '@boxoffice/contracts';
import type { CausalContext } from '@boxoffice/messaging';
import { Causal } from '@boxoffice/platform';
import { KafkaAdminView } from '../../infrastructure/operations/kafka-admin-view.js';
import { DEAD_LETTERS_PER_PARTITION, OperationsFeed } from '../../infrastructure/operations/operations-feed.js';
import { Upstreams } from '../../infrastructure/upstreams.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/role.guard.js';
import { ApiAnswer, ApiUpstreamProblems } from './openapi.js';

type ContextAnswer = { context: string; status: 'up'; view: ContextDatabasesView } | { context: string; status: 'unavailable'; error: string };

/**
 * The operations console's data, for admins (ADR 0035, docs/operations.md).
 * Every answer is read when asked and bounded: each context probes its own
 * database nodes (one small query each), Kafka's admin API answers the
 * metadata, ordering counts its unsettled orders on an index of exactly
 * those and keeps its orders' outcomes counted as they happen; replicas and dead letters come from what the gateway keeps reading
 * (OperationsFeed), never from a scan of a topic.
 */
@ApiTags('operations')
@RequireRole('admin')
// 503 without Kafka (consumer groups, dead letters) or ordering (sagas, orders); the others answer what they can.
@ApiUpstreamProblems()
@Controller('admin/ops')
export class OperationsController {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly kafka: KafkaAdminView,
    private readonly feed: OperationsFeed,
  ) {}

  @Get('topology')
  @ApiOperation({
    summary:
      "The system's parts: each shard's primary and standbys (up or down, replay lag, the primary's view of each standby: connected, sync state, WAL lag in bytes), the Kafka brokers, and every app replica with its readiness",
  })
  @ApiAnswer(200, 'TopologyView', TopologyView, 'The topology as it is now; a context that did not answer is listed in `unavailable`')
  async topology(@CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<TopologyView> {
    const [answers, kafka] = await Promise.all([this.databases(principal, causal), this.kafka.cluster()]);
    const shards = new Map<number, TopologyView['shards'][number]>();
    for (const answer of answers) {
      if (answer.status !== 'up') continue;
      for (const { outboxUnpublished: _backlog, ...shard } of answer.view.shards) {
        // The contexts on a shard share its nodes: the first context's view (a sharded one) stands for the shard.
        const known = shards.get(shard.shard);
        if (known) known.seenBy.push(answer.context);
        else shards.set(shard.shard, { ...shard, seenBy: [answer.context] });
      }
    }
    return {
      shards: [...shards.values()].sort((a, b) => a.shard - b.shard),
      unavailable: answers.filter((a) => a.status === 'unavailable'),
      kafka,
      replicas: this.feed.replicas(),
    };
  }

  @Get('outbox')
  @ApiOperation({ summary: 'Outbox rows not yet published to Kafka, per context and shard' })
  @ApiAnswer(200, 'OutboxBacklogView', OutboxBacklogView, 'Each context’s backlog per shard; a context that did not answer says why')
  async outbox(@CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<OutboxBacklogView> {
    const answers = await this.databases(principal, causal);
    return {
      contexts: answers.map((answer) =>
        answer.status === 'up'
          ? { context: answer.context, status: 'up', shards: answer.view.shards.map((s) => ({ shard: s.shard, unpublished: s.outboxUnpublished })) }
          : answer,
      ),
    };
  }

  @Get('consumer-groups')
  @ApiOperation({ summary: 'Every Kafka consumer group: its state, its members and their partitions, its lag per topic and partition' })
  @ApiAnswer(200, 'ConsumerGroupsView', ConsumerGroupsView, 'The consumer groups')
  consumerGroups(): Promise<ConsumerGroupsView> {
    return this.kafka.consumerGroups();
  }

  @Get('sagas')
  @ApiOperation({ summary: 'Checkouts and refunds under way (orders not settled), by saga state, with the oldest one’s placing time, and the oldest few one by one with their trace ids' })
  @ApiAnswer(200, 'SagasInFlightView', SagasInFlightView, 'The sagas in flight')
  sagas(@CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<SagasInFlightView> {
    return this.upstreams.ordering.expectOk({ method: 'GET', path: '/ops/sagas', correlationId: causal.correlationId, principal });
  }

  @Get('orders')
  @ApiOperation({
    summary:
      'How many orders were placed, confirmed and rejected since the beginning, on every ordering shard: counts that only grow, from which a reader derives orders per second over its own clock',
  })
  @ApiAnswer(200, 'OrderOutcomesView', OrderOutcomesView, 'The orders placed, confirmed and rejected so far')
  orders(@CurrentPrincipal() principal: Principal, @Causal() causal: CausalContext): Promise<OrderOutcomesView> {
    return this.upstreams.ordering.expectOk({ method: 'GET', path: '/ops/orders', correlationId: causal.correlationId, principal });
  }

  @Get('dead-letters')
  @ApiOperation({
    summary: `Each dead-letter topic: how many records it holds, and its newest (up to ${DEAD_LETTERS_PER_PARTITION} per partition) with why each was given up, where it came from and which group gave up`,
  })
  @ApiAnswer(200, 'DeadLettersView', DeadLettersView, 'The dead letters, newest first')
  async deadLetters(): Promise<DeadLettersView> {
    const topics = Object.entries(DeadLetterTopics).map(([context, topic]) => ({ context, topic }));
    const stored = await this.kafka.storedRecords(topics.map((t) => t.topic));
    return {
      topics: topics.map(({ context, topic }) => ({ topic, context, stored: stored.get(topic) ?? 0, latest: this.feed.latestDeadLetters(topic) })),
      perPartition: DEAD_LETTERS_PER_PARTITION,
    };
  }

  /** Every context with data, asked in parallel for its shards (`GET /ops/databases`); one that cannot answer says why. */
  private databases(principal: Principal, causal: CausalContext): Promise<ContextAnswer[]> {
    return Promise.all(
      this.upstreams.withData().map(async (upstream): Promise<ContextAnswer> => {
        try {
          const view = await upstream.expectOk<ContextDatabasesView>({ method: 'GET', path: '/ops/databases', correlationId: causal.correlationId, principal });
          return { context: upstream.name, status: 'up', view };
        } catch (error) {
          return { context: upstream.name, status: 'unavailable', error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
  }
}
