import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { BROKER_MAX_MESSAGE_BYTES, DeadLetterTopics, PlatformTopics, allTopics } from '@boxoffice/contracts';
import { BoxofficeApi, eventually, everyAppReady, KafkaProbe, runningStack } from '@boxoffice/testing';
import { checkInvariants } from '../../tools/invariants/check-invariants.js';

/**
 * What a producer that is not ours may send, sent by a client that is not
 * ours (Confluent's Python client, librdkafka), into every topic the stack
 * creates: bytes that are not JSON, a null value, a value at the broker's
 * maximum size, JSON of the wrong shape, envelopes of an unknown type and of
 * an unknown version, and a byte-identical duplicate of a real message.
 * After each kind: every consumer group has committed past it; each poison
 * message is in the dead-letter topic of each group that consumes its topic
 * exactly once, with the original key, value bytes and headers (read back
 * by the same independent client); the duplicate is in none; a purchase
 * still completes; the invariants hold.
 */
const INSTALL = 'python3 -m pip install confluent-kafka==2.16.1';
const CLIENT = join(process.cwd(), 'test', 'independent-client', 'kafka_client.py');
const stack = runningStack();
const kafka = new KafkaProbe(stack.kafka.brokers);
const api = new BoxofficeApi(stack.gatewayUrl);
const GROUPS = Object.keys(DeadLetterTopics);
const TOPICS = allTopics().map((t) => t.name);
const DEAD_LETTER_TOPICS: string[] = Object.values(DeadLetterTopics);
const COMPACTED_TOPICS = allTopics().filter((t) => (t.config['cleanup.policy'] ?? '').includes('compact')).map((t) => t.name);
/** The topics the contexts consume: not the dead letters, nor the replicas' status reports, which only the gateway reads (ADR 0035). */
const CONSUMED_TOPICS = TOPICS.filter((t) => !DEAD_LETTER_TOPICS.includes(t) && !(Object.values(PlatformTopics) as string[]).includes(t));

type Header = [name: string, hex: string | null];
interface Produced {
  topic: string;
  key: string | null;
  value: string | null | { fill: string; length: number };
  headers: Header[];
}
interface Found {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  valueLength: number | null;
  valueSha256: string | null;
  value: string | null;
  headers: Header[];
}

function client<T>(command: string, request: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [CLIENT, command], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 3) reject(new Error(`confluent-kafka is missing; install it with: ${INSTALL}`));
      else if (code !== 0) reject(new Error(`kafka_client.py ${command} failed (exit ${code}): ${Buffer.concat(err).toString()}`));
      else resolve(JSON.parse(Buffer.concat(out).toString()) as T);
    });
    child.stdin.end(JSON.stringify({ brokers: stack.kafka.brokers, ...request }));
  });
}

const hex = (text: string) => Buffer.from(text).toString('hex');

/** Size of a one-record batch (magic 2, no compression) as the broker measures it against message.max.bytes. */
function batchSize(key: Buffer | null, valueLength: number, headers: [string, Buffer | null][]): number {
  const zigzag = (n: number) => {
    let v = n >= 0 ? 2 * n : -2 * n - 1;
    let bytes = 1;
    while (v >= 128) {
      v = Math.floor(v / 128);
      bytes++;
    }
    return bytes;
  };
  const field = (length: number | null) => (length === null ? zigzag(-1) : zigzag(length) + length);
  const body =
    1 /* attributes */ + 1 /* timestamp delta */ + 1 /* offset delta */ + field(key?.length ?? null) + field(valueLength) + zigzag(headers.length) + headers.reduce((sum, [name, value]) => sum + field(Buffer.byteLength(name)) + field(value?.length ?? null), 0);
  return 61 /* batch header */ + zigzag(body) + body;
}

/** Which topics each group consumes, as the groups themselves say. */
let consumersOf: Map<string, string[]>;
let realMessages: Record<string, Found | null>;
let showId: string;
let seatIds: string[];
let nextSeat = 0;
const showIds: string[] = [];

const topicsOf = (group: string) => [...consumersOf].filter(([, groups]) => groups.includes(group)).map(([topic]) => topic);

async function everyGroupCaughtUp(): Promise<void> {
  await eventually(
    async () => {
      for (const group of GROUPS) expect({ group, lag: await kafka.lag(group, topicsOf(group)) }).toEqual({ group, lag: 0n });
    },
    { timeoutMs: 60000, intervalMs: 500 },
  );
}

/**
 * Every group that consumes a message's topic has committed past it (and so past everything before it on its
 * partition). Only these messages: what other tests left on the topics may still be under way.
 */
async function everyGroupPast(sent: { topic: string; partition: number; offset: string }[]): Promise<void> {
  await eventually(
    async () => {
      for (const group of GROUPS) {
        const committed = await kafka.committedOffsets(group, topicsOf(group));
        const behind = sent.filter(({ topic, partition, offset }) => consumersOf.get(topic)?.includes(group) && (committed.get(`${topic}:${partition}`) ?? -1n) <= BigInt(offset));
        expect({ group, behind }).toEqual({ group, behind: [] });
      }
    },
    { timeoutMs: 60000, intervalMs: 500 },
  );
}

async function aPurchaseStillCompletes(): Promise<void> {
  const placed = await api.placeOrder('independent-client', { showId, seatIds: [seatIds[nextSeat++]] });
  expect((await api.settledOrder('independent-client', placed.body.orderId)).status).toBe('confirmed');
  await eventually(async () => expect(await checkInvariants({ databases: stack.databases, bucketMap: stack.bucketMap, showIds })).toEqual([]), { timeoutMs: 30000 });
}

beforeAll(async () => {
  const probe = spawnSync('python3', ['-c', 'import confluent_kafka'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`confluent-kafka (PyPI) is missing; install it with: ${INSTALL}`);
  // Real traffic on every consumed topic: a sale, a declined order, a refund, a cancelled show.
  // One seat per test's purchase (aPurchaseStillCompletes), with room to spare.
  ({ showId, seatIds } = await api.publishShow('Independent client', [{ code: 'A', rows: 1, seatsPerRow: 20, priceTier: 'STD' }]));
  showIds.push(showId);
  await api.waitUntilOnSale(showId);
  const cancelled = await api.publishShow('Independent client, cancelled', [{ code: 'A', rows: 1, seatsPerRow: 2, priceTier: 'STD' }]);
  showIds.push(cancelled.showId);
  await api.waitUntilOnSale(cancelled.showId);
  const bought = await api.placeOrder('independent-client', { showId: cancelled.showId, seatIds: [cancelled.seatIds[0]] });
  const declined = await api.placeOrder('decline-independent-client', { showId: cancelled.showId, seatIds: [cancelled.seatIds[1]] });
  expect((await api.settledOrder('independent-client', bought.body.orderId)).status).toBe('confirmed');
  await api.settledOrder('decline-independent-client', declined.body.orderId);
  const refunded = await api.http.post(`/orders/${bought.body.orderId}/refund`, undefined, await api.authHeaders('independent-client'));
  expect(refunded.status).toBeLessThan(300);
  const admin = await api.authHeaders('admin');
  expect((await api.http.post(`/admin/shows/${cancelled.showId}/cancel`, undefined, admin)).status).toBeLessThan(300);

  // Which group consumes what is read from the groups' members: every group must have them all, not be
  // rejoining after an earlier test restarted a replica (a replica is ready while it joins).
  await everyAppReady(stack);
  const subscriptions = await kafka.subscriptions(GROUPS);
  consumersOf = new Map(TOPICS.map((topic) => [topic, GROUPS.filter((g) => subscriptions.get(g)?.includes(topic))]));
  expect([...consumersOf].filter(([, groups]) => groups.length > 0).map(([topic]) => topic).sort()).toEqual(CONSUMED_TOPICS.sort());
  await everyGroupCaughtUp();
  // Events follow through the outboxes: wait until every consumed topic has a real message to duplicate.
  realMessages = await eventually(async () => {
    const latest = await client<Record<string, Found | null>>('latest', { topics: CONSUMED_TOPICS });
    expect(Object.entries(latest).filter(([, m]) => m === null)).toEqual([]);
    return latest;
  });
});

/** Each kind: the messages for one topic, and the reason their dead letters must give. */
const kinds: [kind: string, reason: RegExp, messages: (topic: string, run: string) => Produced[]][] = [
  [
    'bytes that are not JSON (nor UTF-8), with binary and null headers and no key',
    /^invalid message: not JSON: the value is not valid UTF-8$/,
    (topic, run) => [{ topic, key: null, value: '00ff' + hex(' not json ') + 'c3', headers: [['x-poison-run', hex(run)], ['x-binary', '00ff10'], ['x-empty', null]] }],
  ],
  ['a null value', /^invalid message: not JSON: the message has no value \(null\)$/, (topic, run) => [{ topic, key: hex(`null-${run}`), value: null, headers: [['x-poison-run', hex(run)]] }]],
  [
    "a value at the broker's maximum size",
    /^invalid message: not JSON/,
    (topic, run) => {
      const key = Buffer.from(`big-${run}`);
      const headers: [string, Buffer][] = [['x-poison-run', Buffer.from(run)]];
      let length = BROKER_MAX_MESSAGE_BYTES - batchSize(key, 0, headers);
      while (batchSize(key, length, headers) > BROKER_MAX_MESSAGE_BYTES) length--;
      expect(batchSize(key, length, headers)).toBe(BROKER_MAX_MESSAGE_BYTES);
      expect(length).toBeGreaterThan(1_000_000);
      return [{ topic, key: key.toString('hex'), value: { fill: hex('x'), length }, headers: headers.map(([n, v]) => [n, v.toString('hex')]) }];
    },
  ],
  [
    'JSON of the wrong shape, with a number no double holds',
    /^invalid message: envelope: /,
    (topic, run) => [{ topic, key: hex(`shape-${run}`), value: hex('{"amount": 12345678901234567890123, "note": "valid JSON, not an envelope"}'), headers: [['x-poison-run', hex(run)]] }],
  ],
  [
    'envelopes of an unknown type and of an unknown version',
    /^invalid message: expected .* v1, got /,
    (topic, run) => {
      const real = realMessages[topic];
      const envelope = real ? (JSON.parse(Buffer.from(real.value!, 'hex').toString()) as Record<string, unknown>) : { messageId: randomUUID(), type: topic.replace(/\.v1$/, ''), schemaVersion: 1, aggregateId: 'x', aggregateVersion: 1, correlationId: 'c', causationId: null, producer: { service: 'x', instance: 'x' }, producedAt: new Date().toISOString(), payload: {} };
      return [
        { topic, key: hex(`type-${run}`), value: hex(JSON.stringify({ ...envelope, messageId: randomUUID(), type: 'boxoffice.unknown-event' })), headers: [['x-poison-run', hex(run)]] },
        { topic, key: hex(`version-${run}`), value: hex(JSON.stringify({ ...envelope, messageId: randomUUID(), schemaVersion: 99 })), headers: [['x-poison-run', hex(run)]] },
      ];
    },
  ],
  [
    'a real envelope whose text holds a NUL character, which Postgres cannot store',
    /^invalid message: envelope: correlationId must not contain a NUL character$/,
    (topic, run) => {
      const real = realMessages[topic];
      const envelope = real ? (JSON.parse(Buffer.from(real.value!, 'hex').toString()) as Record<string, unknown>) : { messageId: randomUUID(), type: topic.replace(/\.v1$/, ''), schemaVersion: 1, aggregateId: 'x', aggregateVersion: 1, causationId: null, producer: { service: 'x', instance: 'x' }, producedAt: new Date().toISOString(), payload: {} };
      return [{ topic, key: hex(`nul-${run}`), value: hex(JSON.stringify({ ...envelope, messageId: randomUUID(), correlationId: 'a\u0000b' })), headers: [['x-poison-run', hex(run)]] }];
    },
  ],
];

/**
 * Produces the messages of one kind into every topic (their batches compressed with `compression`), then checks
 * that the groups catch up, that each message is dead-lettered once per consuming group, byte for byte, and that a
 * purchase still completes.
 */
async function poisonEveryTopic(reason: RegExp, messagesFor: (topic: string, run: string) => Produced[], compression = 'none'): Promise<void> {
  const run = randomUUID();
  // A compacted topic (the replicas' status reports) refuses a record without a key (INVALID_RECORD, Kafka's
  // own rule): the keyless kind gets a key there, and the gateway that reads the topic must still shrug it off.
  const messages = TOPICS.flatMap((topic) => messagesFor(topic, run)).map((m) => (m.key === null && COMPACTED_TOPICS.includes(m.topic) ? { ...m, key: hex(`keyed-${run}`) } : m));
  const positions = await client<({ partition: number; offset: string } | { error: string })[]>('produce', { maxMessageBytes: 2 * BROKER_MAX_MESSAGE_BYTES, compression, messages });
  expect(positions.filter((p) => 'error' in p)).toEqual([]);
  const sent = messages.map((message, i) => ({ message, ...(positions[i] as { partition: number; offset: string }) }));
  await everyGroupPast(sent.map(({ message, partition, offset }) => ({ topic: message.topic, partition, offset })));

  const letters = (await client<Found[]>('find', { topics: DEAD_LETTER_TOPICS, anyOf: [{ 'x-poison-run': run }] })).filter((l) => l.headers.some(([name]) => name === 'boxoffice-dlq-topic'));
  const header = (letter: Found, name: string) => Buffer.from(letter.headers.filter(([n]) => n === name).at(-1)?.[1] ?? '', 'hex').toString();
  let expected = 0;
  for (const { message, partition, offset } of sent) {
    for (const group of consumersOf.get(message.topic) ?? []) {
      expected++;
      const mine = letters.filter((l) => l.topic === DeadLetterTopics[group as keyof typeof DeadLetterTopics] && header(l, 'boxoffice-dlq-topic') === message.topic && header(l, 'boxoffice-dlq-partition') === String(partition) && header(l, 'boxoffice-dlq-offset') === offset);
      expect({ group, topic: message.topic, letters: mine.length }).toEqual({ group, topic: message.topic, letters: 1 });
      const [letter] = mine;
      const value = message.value === null ? null : typeof message.value === 'string' ? Buffer.from(message.value, 'hex') : Buffer.alloc(message.value.length, Buffer.from(message.value.fill, 'hex'));
      expect(letter.key).toBe(message.key);
      expect(letter.valueLength).toBe(value?.length ?? null);
      expect(letter.valueSha256).toBe(value ? createHash('sha256').update(value).digest('hex') : null);
      // kafkajs cannot write a null header value: it comes as empty bytes, named in boxoffice-dlq-null-headers (ADR 0019).
      expect(letter.headers.slice(0, message.headers.length)).toEqual(message.headers.map(([name, v]) => [name, v ?? '']));
      const nulls = message.headers.filter(([, v]) => v === null).map(([name]) => name);
      expect(JSON.parse(header(letter, 'boxoffice-dlq-null-headers') || '[]')).toEqual(nulls);
      expect(letter.headers.slice(message.headers.length).every(([name]) => name.startsWith('boxoffice-dlq-'))).toBe(true);
      expect(header(letter, 'boxoffice-dlq-group')).toBe(group);
      expect(header(letter, 'boxoffice-dlq-reason')).toMatch(reason);
    }
  }
  expect(letters).toHaveLength(expected);
  await aPurchaseStillCompletes();
}

describe('an independent Kafka client produces into every topic', () => {
  it.each(kinds)('%s: dead-lettered once per consuming group, byte for byte; the groups catch up; a purchase completes', async (_kind, reason, messagesFor) => {
    await poisonEveryTopic(reason, messagesFor);
  });

  // Kafka's clients compress batches as they are told to (Java's and librdkafka's `compression.type`); kafkajs reads
  // only gzip, and a batch it cannot decompress would stop its consumer on that partition for good.
  it.each(['gzip', 'snappy', 'lz4', 'zstd'])('batches compressed with %s: read, dead-lettered byte for byte; the groups catch up', async (compression) => {
    await poisonEveryTopic(
      /^invalid message: envelope: /,
      (topic, run) => [{ topic, key: hex(`${compression}-${run}`), value: hex(`{"compressed": "${compression}", "text": "${'compressible '.repeat(40)}"}`), headers: [['x-poison-run', hex(run)]] }],
      compression,
    );
  });

  it("is refused a value one byte over the broker's maximum, which no consumer then sees", async () => {
    const key = Buffer.from(`too-big-${randomUUID()}`);
    let length = BROKER_MAX_MESSAGE_BYTES - batchSize(key, 0, []);
    while (batchSize(key, length, []) > BROKER_MAX_MESSAGE_BYTES) length--;
    const [refused] = await client<{ error?: string }[]>('produce', { maxMessageBytes: 2 * BROKER_MAX_MESSAGE_BYTES, messages: [{ topic: 'inventory.seat-command.v1', key: key.toString('hex'), value: { fill: hex('x'), length: length + 1 }, headers: [] }] });
    expect(refused.error).toBe('MSG_SIZE_TOO_LARGE');
  });

  it('a byte-identical duplicate of a real message: handled once (the inbox), dead-lettered nowhere', async () => {
    const duplicates = Object.values(realMessages).filter((m): m is Found => m !== null);
    expect(duplicates.map((m) => m.topic).sort()).toEqual(CONSUMED_TOPICS.sort());
    const positions = await client<{ partition: number; offset: string }[]>('produce', {
      maxMessageBytes: 2 * BROKER_MAX_MESSAGE_BYTES,
      messages: duplicates.map((m) => ({ topic: m.topic, key: m.key, value: m.value, headers: m.headers })),
    });
    await everyGroupPast(positions.map((p, i) => ({ topic: duplicates[i].topic, ...p })));
    const letters = await client<Found[]>('find', {
      topics: DEAD_LETTER_TOPICS,
      anyOf: positions.map((p, i) => ({ 'boxoffice-dlq-topic': duplicates[i].topic, 'boxoffice-dlq-partition': String(p.partition), 'boxoffice-dlq-offset': p.offset })),
    });
    expect(letters).toEqual([]);
    await aPurchaseStillCompletes();
  });
});
