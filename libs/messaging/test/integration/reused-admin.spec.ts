import { Logger } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { JsonLogger } from '@boxoffice/observability';
import { runningStack } from '@boxoffice/testing';
import { ReusedAdmin } from '../../src/kafka/reused-admin.js';

/**
 * Against the stack's real broker: after a question fails (here, one about a
 * topic that does not exist; in production, a broker restart), the next one
 * is answered. A kafkajs admin that is disconnected and connected again keeps
 * its old cluster metadata and finds no broker to ask ("No brokers in the
 * broker pool") for as long as the process lives, so the admin is made anew;
 * and a new one knows the cluster's brokers before its first question.
 */
const stack = runningStack();
const UNKNOWN_TOPIC = 'This server does not host this topic-partition';

describe('ReusedAdmin', () => {
  // kafkajs logs the broker's refusal as an error, through the service's logger: expected here, so the tests
  // check that this is all it logged, and keep it out of the run's output.
  let logged: { context?: string; level?: string; error?: string }[] = [];
  beforeAll(() => Logger.overrideLogger(new JsonLogger({ service: 'test', instance: 'test-0' }, undefined, (line) => logged.push(JSON.parse(line)))));
  afterAll(() => Logger.overrideLogger(['error', 'warn', 'log']));
  beforeEach(() => (logged = []));

  it('answers again after a question failed', async () => {
    const admin = new ReusedAdmin({ brokers: stack.kafka.brokers, clientId: 'it-reused-admin' });
    try {
      expect((await admin.ask((a) => a.listTopics())).length).toBeGreaterThan(0);
      await expect(admin.ask((a) => a.fetchTopicOffsets(`it.no-such-topic.${Date.now()}`))).rejects.toThrow(UNKNOWN_TOPIC);
      expect((await admin.ask((a) => a.fetchTopicOffsets('ordering.order-confirmed.v1'))).length).toBeGreaterThan(0);
      expect((await admin.ask((a) => a.listTopics())).length).toBeGreaterThan(0);
      expect(logged.length).toBeGreaterThan(0);
      for (const line of logged) expect(line).toMatchObject({ context: 'kafkajs', level: 'error', error: UNKNOWN_TOPIC });
    } finally {
      await admin.close();
    }
  });

  it("answers a question about a group's offsets first, on a new admin and on the one made after a failure", async () => {
    // What GroupCatchUp asks while it holds a mark from before a broker restart: the group's offsets, first thing.
    const admin = new ReusedAdmin({ brokers: stack.kafka.brokers, clientId: 'it-reused-admin-group' });
    const offsets = (a: Admin) => a.fetchOffsets({ groupId: 'ordering', topics: ['inventory.seat-reply.v1'] });
    try {
      expect((await admin.ask(offsets))[0]?.partitions.length).toBeGreaterThan(0);
      await expect(admin.ask((a) => a.fetchTopicOffsets(`it.no-such-topic.${Date.now()}`))).rejects.toThrow(UNKNOWN_TOPIC);
      expect((await admin.ask(offsets))[0]?.partitions.length).toBeGreaterThan(0);
      for (const line of logged) expect(line).toMatchObject({ context: 'kafkajs', level: 'error', error: UNKNOWN_TOPIC });
    } finally {
      await admin.close();
    }
  });
});
