import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { KafkaProbe, runningStack } from '@boxoffice/testing';
import { GroupCatchUp } from '../../src/kafka/group-catch-up.js';

/**
 * Against the stack's real broker: a group has caught up with a mark once it
 * has committed, on every partition, the end offsets noted when the mark was
 * taken, whichever member read them; messages produced after the mark do not
 * hold it back.
 */
const stack = runningStack();
const probe = new KafkaProbe(stack.kafka.brokers);
const kafka = new Kafka({ clientId: 'it-group-catch-up', brokers: stack.kafka.brokers, logLevel: logLevel.NOTHING });

/** A member of `groupId` that commits each message once it has seen it, and counts them. */
async function member(groupId: string, topic: string, seen: string[]): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
  return consumer;
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('GroupCatchUp', () => {
  it('is caught up only once the group has committed every partition up to the end offsets noted by the first call', async () => {
    const topic = `it.group-catch-up.${Date.now()}`;
    const groupId = `it-group-catch-up-${Date.now()}`;
    await probe.createTopic(topic, 1, 3);
    const catchUp = new GroupCatchUp({ brokers: stack.kafka.brokers, clientId: 'it-group-catch-up' }, groupId, [topic]);
    const consumers: Consumer[] = [];
    try {
      // Empty topics and a group that never committed: nothing to read.
      expect(await catchUp.caughtUp()).toBe(true);

      for (let i = 0; i < 30; i++) await probe.produce(topic, [{ key: `order-${i}`, value: `before-${i}` }]);
      // The mark is taken now; nobody has read anything.
      expect(await catchUp.caughtUp()).toBe(false);
      expect(await catchUp.caughtUp()).toBe(false);

      const seen: string[] = [];
      consumers.push(await member(groupId, topic, seen));
      await until(() => seen.length >= 30, 'the member read the 30 messages');
      // Messages after the mark do not count against it.
      for (let i = 0; i < 10; i++) await probe.produce(topic, [{ key: `order-${i}`, value: `after-${i}` }]);
      await until(() => catchUp.caughtUp(), 'the group committed up to the mark');
      expect(seen.filter((v) => v.startsWith('before-')).length).toBe(30);

      // A new mark: the messages after the first one, and more, read by two members sharing the partitions.
      const others: string[] = [];
      await consumers[0].stop();
      await consumers[0].disconnect();
      consumers.length = 0;
      for (let i = 0; i < 20; i++) await probe.produce(topic, [{ key: `order-${i}`, value: `later-${i}` }]);
      expect(await catchUp.caughtUp()).toBe(false);
      consumers.push(await member(groupId, topic, others), await member(groupId, topic, others));
      await until(() => catchUp.caughtUp(), 'the two members committed up to the new mark');
      expect(others.filter((v) => v.startsWith('later-')).length).toBeGreaterThanOrEqual(20);
    } finally {
      for (const consumer of consumers) await consumer.disconnect();
      await catchUp.close();
    }
  }, 180_000);
});
