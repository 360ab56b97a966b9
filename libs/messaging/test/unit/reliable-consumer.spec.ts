import { z } from 'zod';
import { defineEvent } from '@boxoffice/contracts';
import { ReliableConsumer } from '../../src/consumer/reliable-consumer.js';
import type { Delivery } from '../../src/consumer/delivery.js';
import { MessagePublisher, type OutgoingMessage } from '../../src/message-publisher.port.js';

class RecordingPublisher extends MessagePublisher {
  readonly published: OutgoingMessage[] = [];
  async publish(messages: OutgoingMessage[]): Promise<void> {
    this.published.push(...messages);
  }
}

const Greeted = defineEvent('test.greeted', 1, z.object({ name: z.string() }));
/** A delivery of these bytes: a string as its UTF-8, anything else but bytes and null as JSON. */
function deliveryOf(value: unknown, more: Partial<Delivery> = {}): Delivery {
  const bytes = value === null || Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return { topic: Greeted.topic, partition: 2, offset: '41', key: Buffer.from('agg-1'), value: bytes, headers: {}, heartbeat: async () => undefined, ...more };
}
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
    const outcome = await consumer(publisher).consume(Greeted, deliveryOf(envelope), async (e) => {
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
    const outcome = await consumer(publisher).consume(Greeted, deliveryOf(raw), async () => {
      called = true;
    });
    expect(outcome).toBe('dead-lettered');
    expect(called).toBe(false);
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      topic: 'tester.dead-letter.v1',
      key: Buffer.from('agg-1'),
      headers: { 'boxoffice-dlq-topic': Greeted.topic, 'boxoffice-dlq-partition': '2', 'boxoffice-dlq-offset': '41', 'boxoffice-dlq-group': 'tester', 'boxoffice-dlq-attempts': '0' },
    });
  });

  it.each([
    ['bytes that are not UTF-8', Buffer.from([0x00, 0xff, 0xfe, 0x7b]), /^invalid message: not JSON: the value is not valid UTF-8$/],
    ['text that is not JSON', Buffer.from('garbage'), /^invalid message: not JSON: /],
    ['no value at all (null)', null, /^invalid message: not JSON: the message has no value \(null\)$/],
  ])('says a message of %s is not JSON, and dead-letters its value as it came', async (_, value, reason) => {
    const publisher = new RecordingPublisher();
    await consumer(publisher).consume(Greeted, deliveryOf(value), async () => undefined);
    expect(publisher.published[0].value).toEqual(value);
    expect(publisher.published[0].headers?.['boxoffice-dlq-reason']).toMatch(reason);
  });

  it('carries a null header value, which kafkajs cannot write, as empty bytes and names it', async () => {
    const publisher = new RecordingPublisher();
    await consumer(publisher).consume(Greeted, deliveryOf('garbage', { headers: { a: Buffer.from('1'), gone: null, twice: [Buffer.from('x'), null] } }), async () => undefined);
    const headers = publisher.published[0].headers ?? {};
    expect(headers.a).toEqual(Buffer.from('1'));
    expect(headers.gone).toEqual(Buffer.alloc(0));
    expect(headers.twice).toEqual([Buffer.from('x'), Buffer.alloc(0)]);
    expect(headers['boxoffice-dlq-null-headers']).toBe('["gone","twice"]');
  });

  it('dead-letters the original bytes, key and headers, not a re-serialised copy', async () => {
    const publisher = new RecordingPublisher();
    const value = Buffer.from('{"amount": 12345678901234567890123}');
    const headers = { traceparent: Buffer.from('00-abc'), binary: Buffer.from([0, 255]), 'boxoffice-dlq-reason': Buffer.from('sent by the producer') };
    await consumer(publisher).consume(Greeted, deliveryOf(value, { key: null, headers }), async () => undefined);
    const [letter] = publisher.published;
    expect(letter.value).toBe(value);
    expect(letter.key).toBeNull();
    expect(letter.headers?.traceparent).toBe(headers.traceparent);
    expect(letter.headers?.binary).toBe(headers.binary);
    // A header of ours that the producer already sent is kept; ours follows it.
    expect(letter.headers?.['boxoffice-dlq-reason']).toEqual([headers['boxoffice-dlq-reason'], expect.stringMatching(/^invalid message: envelope/)]);
  });

  it('retries a failing handler a bounded number of times, then dead-letters it', async () => {
    const publisher = new RecordingPublisher();
    let attempts = 0;
    const outcome = await consumer(publisher).consume(Greeted, deliveryOf(envelope), async () => {
      attempts++;
      throw new Error('boom');
    });
    expect(outcome).toBe('dead-lettered');
    expect(attempts).toBe(3);
    expect(publisher.published[0].headers?.['boxoffice-dlq-reason']).toContain('boom');
    expect(publisher.published[0].headers?.['boxoffice-dlq-attempts']).toBe('3');
    expect(publisher.published[0].value).toEqual(Buffer.from(JSON.stringify(envelope)));
  });

  it('succeeds when a retry succeeds', async () => {
    const publisher = new RecordingPublisher();
    let attempts = 0;
    const outcome = await consumer(publisher).consume(Greeted, deliveryOf(envelope), async () => {
      if (++attempts < 2) throw new Error('transient');
    });
    expect(outcome).toBe('handled');
    expect(publisher.published).toEqual([]);
  });

  it('keeps retrying a dead-letter topic that refuses, heartbeating, until it takes the dead letter', async () => {
    class RefusingPublisher extends RecordingPublisher {
      refusals = 4;
      override async publish(messages: OutgoingMessage[]): Promise<void> {
        if (this.refusals-- > 0) throw new Error('The request included a message larger than the max message size the server will accept');
        await super.publish(messages);
      }
    }
    const publisher = new RefusingPublisher();
    let heartbeats = 0;
    const outcomes: string[] = [];
    const patient = new ReliableConsumer(publisher, { consumer: 'tester', deadLetterTopic: 'tester.dead-letter.v1', backoffMillis: 1, onDeadLetter: (outcome) => outcomes.push(outcome) });
    const outcome = await patient.consume(Greeted, deliveryOf('garbage', { heartbeat: async () => void heartbeats++ }), async () => undefined);
    expect(outcome).toBe('dead-lettered');
    expect(publisher.published).toHaveLength(1);
    expect(heartbeats).toBe(4);
    expect(outcomes).toEqual(['failed', 'failed', 'failed', 'failed', 'written']);
  });

  it('gives the message back to the broker when the process stops while the dead-letter topic refuses', async () => {
    class DownPublisher extends MessagePublisher {
      async publish(): Promise<void> {
        throw new Error('broker down');
      }
    }
    let attempts = 0;
    const stopping = new ReliableConsumer(new DownPublisher(), { consumer: 'tester', deadLetterTopic: 'tester.dead-letter.v1', backoffMillis: 1, isStopping: () => ++attempts >= 3 });
    await expect(stopping.consume(Greeted, deliveryOf('garbage'), async () => undefined)).rejects.toThrow('broker down');
    expect(attempts).toBe(3);
  });
});

describe('ReliableConsumer during an infrastructure outage', () => {
  const outage = new Error('connect ECONNREFUSED');
  const isTransient = (error: unknown) => error === outage;

  it('waits out a transient failure, however long, and never dead-letters the message', async () => {
    const publisher = new RecordingPublisher();
    let attempts = 0;
    const patient = new ReliableConsumer(publisher, { consumer: 'tester', deadLetterTopic: 'tester.dead-letter.v1', maxAttempts: 3, backoffMillis: 1, maxBackoffMillis: 2, isTransient });
    const outcome = await patient.consume(Greeted, deliveryOf(envelope), async () => {
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
    const outcome = await patient.consume(Greeted, deliveryOf(envelope), async () => {
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
      patient.consume(Greeted, deliveryOf(envelope), async () => {
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
      batchedConsumer(publisher, givenUp).consume(Greeted, deliveryOf(envelope), async () => {
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
    await expect(batchedConsumer(publisher, givenUp).consume(Greeted, deliveryOf('not json at all'), async () => undefined)).rejects.toThrow(/invalid message/);
    expect(givenUp).toHaveLength(1);
    expect(publisher.published).toEqual([]);
  });
});
