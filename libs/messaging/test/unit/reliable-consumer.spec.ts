import { z } from 'zod';
import { defineEvent } from '@boxoffice/contracts';
import { ReliableConsumer } from '../../src/consumer/reliable-consumer.js';
import { MessagePublisher, type OutgoingMessage } from '../../src/message-publisher.port.js';

class RecordingPublisher extends MessagePublisher {
  readonly published: OutgoingMessage[] = [];
  async publish(messages: OutgoingMessage[]): Promise<void> {
    this.published.push(...messages);
  }
}

const Greeted = defineEvent('test.greeted', 1, z.object({ name: z.string() }));
const delivery = { topic: Greeted.topic, partition: 2, offset: '41', key: 'agg-1', heartbeat: async () => undefined };
const envelope = {
  messageId: '01960000-0000-7000-8000-000000000009',
  type: 'test.greeted',
  schemaVersion: 1,
  aggregateId: 'agg-1',
  aggregateVersion: 3,
  correlationId: 'c-1',
  causationId: null,
  producer: { service: 'test', instance: 'test-0' },
  producedAt: '2026-01-01T00:00:00.000Z',
  payload: { name: 'Ada' },
};

function consumer(publisher: MessagePublisher) {
  return new ReliableConsumer(publisher, { consumer: 'tester', deadLetterTopic: 'tester.dead-letter.v1', maxAttempts: 3, backoffMillis: 1 });
}

describe('ReliableConsumer', () => {
  it('hands a valid message to the handler, typed', async () => {
    const publisher = new RecordingPublisher();
    const seen: string[] = [];
    const outcome = await consumer(publisher).consume(Greeted, envelope, delivery, async (e) => {
      seen.push(e.payload.name);
    });
    expect(outcome).toBe('handled');
    expect(seen).toEqual(['Ada']);
    expect(publisher.published).toEqual([]);
  });

  it.each([
    ['a plain string', 'not json at all'],
    ['an envelope without id', { ...envelope, messageId: undefined }],
    ['another event type', { ...envelope, type: 'test.waved' }],
    ['a payload of the wrong shape', { ...envelope, payload: { name: 42 } }],
  ])('dead-letters %s without calling the handler', async (_, raw) => {
    const publisher = new RecordingPublisher();
    let called = false;
    const outcome = await consumer(publisher).consume(Greeted, raw, delivery, async () => {
      called = true;
    });
    expect(outcome).toBe('dead-lettered');
    expect(called).toBe(false);
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      topic: 'tester.dead-letter.v1',
      headers: { 'dlt-original-topic': Greeted.topic, 'dlt-original-partition': '2', 'dlt-original-offset': '41', 'dlt-consumer': 'tester' },
    });
  });

  it('retries a failing handler a bounded number of times, then dead-letters it', async () => {
    const publisher = new RecordingPublisher();
    let attempts = 0;
    const outcome = await consumer(publisher).consume(Greeted, envelope, delivery, async () => {
      attempts++;
      throw new Error('boom');
    });
    expect(outcome).toBe('dead-lettered');
    expect(attempts).toBe(3);
    expect(publisher.published[0].headers?.['dlt-reason']).toContain('boom');
    expect(publisher.published[0].value).toBe(JSON.stringify(envelope));
  });

  it('succeeds when a retry succeeds', async () => {
    const publisher = new RecordingPublisher();
    let attempts = 0;
    const outcome = await consumer(publisher).consume(Greeted, envelope, delivery, async () => {
      if (++attempts < 2) throw new Error('transient');
    });
    expect(outcome).toBe('handled');
    expect(publisher.published).toEqual([]);
  });

  it('throws when even the dead-letter topic cannot be reached, so the message is redelivered', async () => {
    class DownPublisher extends MessagePublisher {
      async publish(): Promise<void> {
        throw new Error('broker down');
      }
    }
    await expect(consumer(new DownPublisher()).consume(Greeted, 'garbage', delivery, async () => undefined)).rejects.toThrow('broker down');
  });
});

describe('ReliableConsumer during an infrastructure outage', () => {
  const outage = new Error('connect ECONNREFUSED');
  const isTransient = (error: unknown) => error === outage;

  it('waits out a transient failure, however long, and never dead-letters the message', async () => {
    const publisher = new RecordingPublisher();
    let attempts = 0;
    const patient = new ReliableConsumer(publisher, { consumer: 'tester', deadLetterTopic: 'tester.dead-letter.v1', maxAttempts: 3, backoffMillis: 1, maxBackoffMillis: 2, isTransient });
    const outcome = await patient.consume(Greeted, envelope, delivery, async () => {
      if (++attempts < 12) throw outage;
    });
    expect(outcome).toBe('handled');
    expect(attempts).toBe(12);
    expect(publisher.published).toEqual([]);
  });

  it('still dead-letters a message whose own handling keeps failing', async () => {
    const publisher = new RecordingPublisher();
    let attempts = 0;
    const patient = new ReliableConsumer(publisher, { consumer: 'tester', deadLetterTopic: 'tester.dead-letter.v1', maxAttempts: 3, backoffMillis: 1, isTransient });
    const outcome = await patient.consume(Greeted, envelope, delivery, async () => {
      attempts++;
      throw attempts % 2 === 0 ? outage : new Error('bad data');
    });
    expect(outcome).toBe('dead-lettered');
    expect(attempts).toBe(5);
  });

  it('gives the message back to the broker when the process stops during an outage', async () => {
    const publisher = new RecordingPublisher();
    let stopping = false;
    const patient = new ReliableConsumer(publisher, { consumer: 'tester', deadLetterTopic: 'tester.dead-letter.v1', backoffMillis: 1, isTransient, isStopping: () => stopping });
    await expect(
      patient.consume(Greeted, envelope, delivery, async () => {
        stopping = true;
        throw outage;
      }),
    ).rejects.toBe(outage);
    expect(publisher.published).toEqual([]);
  });
});

describe('ReliableConsumer inside a batch', () => {
  function batchedConsumer(publisher: MessagePublisher, givenUp: unknown[]) {
    return new ReliableConsumer(publisher, {
      consumer: 'tester',
      deadLetterTopic: 'tester.dead-letter.v1',
      maxAttempts: 3,
      backoffMillis: 1,
      givesUpBatch: (failure) => {
        givenUp.push(failure);
        return true;
      },
    });
  }

  it('gives the batch up on a failing handler, without retrying it or dead-lettering the message', async () => {
    const publisher = new RecordingPublisher();
    const givenUp: unknown[] = [];
    let calls = 0;
    await expect(
      batchedConsumer(publisher, givenUp).consume(Greeted, envelope, delivery, async () => {
        calls += 1;
        throw new Error('lock timeout');
      }),
    ).rejects.toThrow('lock timeout');
    expect(calls).toBe(1);
    expect(givenUp).toHaveLength(1);
    expect(publisher.published).toEqual([]);
  });

  it('gives the batch up on a message bound for the dead-letter topic, which one-at-a-time handling sends there once', async () => {
    const publisher = new RecordingPublisher();
    const givenUp: unknown[] = [];
    await expect(batchedConsumer(publisher, givenUp).consume(Greeted, 'not json at all', delivery, async () => undefined)).rejects.toThrow(/invalid message/);
    expect(givenUp).toHaveLength(1);
    expect(publisher.published).toEqual([]);
  });
});
