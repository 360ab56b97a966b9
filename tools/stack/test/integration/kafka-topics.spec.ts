import { allTopics } from '@boxoffice/contracts';
import { KafkaProbe, runningStack } from '@boxoffice/testing';
import { topicsNotReady } from '../../kafka-cluster.js';

/** The launcher's check before it lets anything use the topics, against the stack's real brokers. */
const stack = runningStack();
const brokers = stack.kafka.brokers;
const replicationFactor = Math.min(3, brokers.length);

describe('topicsNotReady', () => {
  it("finds nothing missing in a started stack: every broker knows every topic, each partition led and in sync", async () => {
    expect(await topicsNotReady(brokers, allTopics(), replicationFactor)).toEqual([]);
  });

  it('names, for every broker, a topic it does not know and one with fewer partitions than wanted', async () => {
    const short = `it.topics-short.${Date.now()}`;
    await new KafkaProbe(brokers).createTopic(short, replicationFactor, 1);
    const unknown = `it.topics-unknown.${Date.now()}`;
    const missing = await topicsNotReady(
      brokers,
      [
        { name: unknown, partitions: 2, config: {} },
        { name: short, partitions: 3, config: {} },
      ],
      replicationFactor,
    );
    for (const broker of brokers) {
      expect(missing).toContainEqual(expect.stringMatching(new RegExp(`^${broker}: ${unknown.replace(/\./g, '\\.')}: .*does not host this topic-partition`)));
      expect(missing).toContain(`${broker}: ${short} has 1 of 3 partitions`);
    }
    expect(missing).toHaveLength(2 * brokers.length);
  });
});
