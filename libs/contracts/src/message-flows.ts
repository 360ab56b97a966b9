import { ShowCancelledV1 } from './catalog/show-cancelled.v1.js';
import { ShowPublishedV1 } from './catalog/show-published.v1.js';
import type { EventContract } from './event-contract.js';
import { SeatCommandV1, SeatReplyV1 } from './inventory/seat-commands.v1.js';
import { OrderConfirmedV1, OrderRefundedV1, OrderRejectedV1 } from './ordering/order-events.v1.js';
import { PaymentCommandV1, PaymentReplyV1 } from './payments/payment-commands.v1.js';
import { TicketsIssuedV1 } from './ticketing/tickets-issued.v1.js';
import type { DeadLetterTopics } from './topics.js';

/** The contexts that talk over Kafka (the gateway does not: it calls the contexts over HTTP). */
export type ContextName = 'catalog' | keyof typeof DeadLetterTopics;

/**
 * An app that follows a topic without taking part in its flow: each of its
 * replicas reads in a consumer group of its own, from the topic's end, and
 * commits nothing (a live feed, not a work queue).
 */
export interface TopicFollower {
  app: 'gateway';
  /** Its replicas' groups, `<instance>` standing for each replica's instance id. */
  groupId: string;
  /** What it reads the topic for. */
  why: string;
}

/** One message type on its topic: who writes it, who reads it, and what it is keyed by. */
export interface MessageFlow {
  contract: EventContract;
  /** The payload field whose value is the Kafka key (the envelope's `aggregateId`). */
  key: string;
  /** Contexts that write this message to their outbox. */
  producers: ContextName[];
  /** Contexts with a consumer group on the topic (the group is named after the context). */
  consumers: ContextName[];
  /** For a command: the topic its receiver answers on. */
  replyOn?: EventContract;
  /** Apps that read the topic too, outside the flow, each replica on its own. */
  followers?: TopicFollower[];
}

/**
 * Who sends what to whom, message by message: the source of the AsyncAPI
 * document (docs/asyncapi.json). A unit test reads the apps' sources and fails
 * when a context consumes or stages a message this list does not give it, or
 * an app follows a topic this list does not say it follows.
 */
export const MessageFlows: readonly MessageFlow[] = [
  { contract: ShowPublishedV1, key: 'showId', producers: ['catalog'], consumers: ['inventory'] },
  {
    contract: ShowCancelledV1,
    key: 'showId',
    producers: ['catalog'],
    consumers: ['inventory'],
    followers: [{ app: 'gateway', groupId: 'gateway-seat-feed.<instance>', why: 'tells the open live seat maps the show is cancelled, ADR 0033' }],
  },
  { contract: SeatCommandV1, key: 'orderId', producers: ['ordering'], consumers: ['inventory'], replyOn: SeatReplyV1 },
  {
    contract: SeatReplyV1,
    key: 'orderId',
    producers: ['inventory'],
    consumers: ['ordering'],
    followers: [{ app: 'gateway', groupId: 'gateway-seat-feed.<instance>', why: 'the live seat maps it streams to browsers, ADR 0033' }],
  },
  { contract: PaymentCommandV1, key: 'orderId', producers: ['ordering'], consumers: ['payments'], replyOn: PaymentReplyV1 },
  { contract: PaymentReplyV1, key: 'orderId', producers: ['payments'], consumers: ['ordering'] },
  { contract: OrderConfirmedV1, key: 'orderId', producers: ['ordering'], consumers: ['ticketing', 'notifications'] },
  { contract: OrderRejectedV1, key: 'orderId', producers: ['ordering'], consumers: ['notifications'] },
  { contract: OrderRefundedV1, key: 'orderId', producers: ['ordering'], consumers: ['inventory', 'ticketing', 'notifications'] },
  { contract: TicketsIssuedV1, key: 'orderId', producers: ['ticketing'], consumers: ['ticketing'] },
];
