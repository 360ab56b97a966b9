import * as net from 'net';
import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
import { KafkaProbe, runningStack } from '@boxoffice/testing';
import { IdempotentProducer } from '../../src/kafka/idempotent-producer.js';

/**
 * A send that fails after the broker wrote its batch must not make the next,
 * different send look like a copy of it: against the stack's real broker, with
 * the replies to produce requests cut off on the way back (as when a leader
 * dies after writing, or acks=all times out on a follower that died).
 */
const stack = runningStack();
const probe = new KafkaProbe(stack.kafka.brokers);

/** Real connections; while `cutting`, each Produce request reaches the broker but its reply never comes back. */
function cuttableConnections(): { socketFactory: ISocketFactory; cut: (on: boolean) => void; cutRequests: () => number } {
  let cutting = false;
  let cutRequests = 0;
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      // A request starts with its size (int32), then its API key (int16): 0 is Produce.
      if (cutting && Buffer.isBuffer(chunk) && chunk.length >= 6 && chunk.readInt16BE(4) === 0) {
        cutRequests++;
        const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
        socket.emit = ((event: string | symbol, ...args: unknown[]) => (event === 'data' ? false : emit(event, ...args))) as typeof socket.emit;
        // Long enough for the broker to write the batch and answer into the void.
        setTimeout(() => socket.destroy(new Error('connection cut by the test')), 500);
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;
    return socket;
  };
  return { socketFactory, cut: (on) => (cutting = on), cutRequests: () => cutRequests };
}

describe('IdempotentProducer', () => {
  it('after a send whose batch the broker kept but never confirmed, the next message is written, not taken for a copy', async () => {
    const topic = `it.idempotent-producer.${Date.now()}`;
    await probe.createTopic(topic, 1);
    const connections = cuttableConnections();
    const kafka = new Kafka({ clientId: 'it-idempotent', brokers: stack.kafka.brokers, logLevel: logLevel.NOTHING, socketFactory: connections.socketFactory });
    const producer = new IdempotentProducer(kafka, { retries: 1, initialRetryTime: 100 });
    const send = async (value: string) => {
      const [meta] = await producer.send({ acks: -1, timeout: 5000, topicMessages: [{ topic, messages: [{ value }] }] });
      return meta.baseOffset;
    };
    try {
      await send('before');
      connections.cut(true);
      await expect(send('kept but unconfirmed')).rejects.toThrow();
      expect(connections.cutRequests()).toBeGreaterThan(0);
      connections.cut(false);
      const offset = await send('next');

      const stored = await probe.readAll(topic);
      // The unconfirmed one was written (its copies too, if a retry reached the broker): at least once, never lost.
      expect(stored.map((m) => m.value)).toContain('kept but unconfirmed');
      expect(stored.find((m) => m.offset === offset)?.value).toBe('next');
      expect(stored.map((m) => m.value)).toContain('next');
    } finally {
      await producer.disconnect();
    }
  });
});
