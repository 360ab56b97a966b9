import { ShowPublishedV1 } from './catalog/show-published.v1.js';

/**
 * Every Kafka topic the system uses, in one place. The stack launcher and the
 * Kubernetes manifests pre-create exactly these; brokers run with
 * auto.create.topics.enable=false, so a topic missing here is a boot error,
 * not a silently created single-partition topic.
 *
 * Naming: `<context>.<event>.v<N>` for event streams; `<context>.dead-letter.v1`
 * for the messages a context's consumers gave up on.
 */
export const Topics = {
  catalogShowPublished: ShowPublishedV1.topic,
} as const;

/** Contexts that consume from Kafka each own a dead-letter topic. */
export const DeadLetterTopics = {
  inventory: 'inventory.dead-letter.v1',
} as const;

export interface TopicSpec {
  name: string;
  partitions: number;
}

/** Partition count bounds the useful consumer replicas of a group. */
export const DEFAULT_PARTITIONS = 6;

export function allTopics(): TopicSpec[] {
  return [...Object.values(Topics), ...Object.values(DeadLetterTopics)].map((name) => ({
    name,
    partitions: DEFAULT_PARTITIONS,
  }));
}
