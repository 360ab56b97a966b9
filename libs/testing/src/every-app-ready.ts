import { DeadLetterTopics } from '@boxoffice/contracts';
import { eventually } from './eventually.js';
import { HttpClient } from './http-client.js';
import { KafkaProbe } from './kafka-probe.js';
import type { RunningStackInfo } from './running-stack.js';

/** The consumer groups of the contexts, each named after its context (one dead-letter topic each). */
const CONSUMER_GROUPS = Object.keys(DeadLetterTopics) as (keyof typeof DeadLetterTopics)[];

/**
 * After a fault test, or before a test that counts on the whole stack: waits until every app instance
 * answers 200 on /health/ready again and every context's consumer group is stable with each of its
 * replicas as a member, so the next test starts whole. Readiness alone is not enough: a replica that
 * was just started is ready while it is still joining its group (ADR 0029), and the group's partitions
 * wait for that rebalance.
 */
export async function everyAppReady(stack: RunningStackInfo, timeoutMs = 60000): Promise<void> {
  const instances = Object.values(stack.apps).flat();
  await eventually(
    async () => {
      for (const instance of instances) {
        const ready = await new HttpClient(instance.url).get('/health/ready');
        if (ready.status !== 200) throw new Error(`${instance.instance} not ready: ${JSON.stringify(ready.body)}`);
      }
    },
    { timeoutMs },
  );
  await everyGroupWhole(stack, timeoutMs);
}

/** Waits until every context's consumer group is stable with as many members as the context has replicas. */
export async function everyGroupWhole(stack: RunningStackInfo, timeoutMs = 60000): Promise<void> {
  const kafka = new KafkaProbe(stack.kafka.brokers);
  for (const group of CONSUMER_GROUPS) {
    const replicas = (stack.apps[group] ?? []).map((app) => app.instance).sort();
    // Named in the failure: which replica's consumer is missing from which group.
    await eventually(
      async () => {
        const { state, members } = await kafka.describeGroup(group);
        if (state !== 'Stable' || members.length !== replicas.length) throw new Error(`group ${group} is ${state} with members [${members.join(', ')}]; its replicas are ${replicas.join(', ')}`);
      },
      { timeoutMs, intervalMs: 500 },
    );
  }
}
