import { z } from 'zod';
import { allTopics, DeadLetterTopics, EnvelopeSchema, MessageFlows, PlatformTopics, ReplicaStatusReport, type MessageFlow } from '@boxoffice/contracts';
import { DeadLetterHeaders } from '@boxoffice/messaging';

type Json = Record<string, unknown>;

/**
 * The AsyncAPI 3.1 document of every Kafka topic, built from libs/contracts:
 * each message's schema is its zod schema inside the envelope (the same
 * `z.toJSONSchema` that documents the REST bodies), and who sends and
 * receives it comes from `MessageFlows`. `npm run asyncapi` writes it to
 * docs/asyncapi.json; a unit test keeps that file current.
 */
export function asyncApiDocument(): Json {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};

  for (const flow of MessageFlows) {
    const { contract } = flow;
    const channel = ref('channels', contract.topic);
    const message = ref('components/messages', contract.topic);
    channels[contract.topic] = {
      address: contract.topic,
      title: contract.type,
      description: `Keyed by \`${flow.key}\`; produced by ${listed(flow.producers)}; consumed by ${listed(flow.consumers)}${followed(flow)}.`,
      messages: { [contract.topic]: message },
      bindings: topicBindings(contract.topic),
    };
    messages[contract.topic] = envelopeMessage(flow);
    const reply = flow.replyOn ? { reply: { channel: ref('channels', flow.replyOn.topic) } } : {};
    for (const producer of flow.producers) {
      operations[`${producer}.sends.${contract.topic}`] = { action: 'send', channel, messages: [channelMessage(contract.topic)], ...reply };
    }
    for (const consumer of flow.consumers) {
      operations[`${consumer}.receives.${contract.topic}`] = {
        action: 'receive',
        channel,
        messages: [channelMessage(contract.topic)],
        bindings: { kafka: { groupId: { type: 'string', enum: [consumer] } } },
        ...reply,
      };
    }
    for (const follower of flow.followers ?? []) {
      const [prefix] = follower.groupId.split('<instance>');
      operations[`${follower.app}.receives.${contract.topic}`] = {
        action: 'receive',
        channel,
        description: `Followed for ${follower.why}: each replica in a group of its own, from the topic's end, committing nothing.`,
        messages: [channelMessage(contract.topic)],
        bindings: { kafka: { groupId: { type: 'string', pattern: `^${prefix!.replaceAll('.', '\\.')}`, description: follower.groupId } } },
      };
    }
  }

  messages.deadLetter = deadLetterMessage();
  for (const [context, topic] of Object.entries(DeadLetterTopics)) {
    channels[topic] = {
      address: topic,
      title: `${context} dead letters`,
      description: `The messages ${context}'s consumers gave up on, byte for byte, with why (docs/adr/0019-dead-letters-byte-for-byte.md). No consumer: operators read and replay them.`,
      messages: { deadLetter: ref('components/messages', 'deadLetter') },
      bindings: topicBindings(topic),
    };
    operations[`${context}.sends.${topic}`] = { action: 'send', channel: ref('channels', topic), messages: [{ $ref: `#/channels/${topic}/messages/deadLetter` }] };
  }

  const status = PlatformTopics.replicaStatus;
  channels[status] = {
    address: status,
    title: 'replica status',
    description:
      'Every replica of every app, the gateway included, reports its readiness here every few seconds, keyed by its instance id; the gateway reads it for the operations console (docs/adr/0035-operations-console-data.md).',
    messages: { replicaStatus: ref('components/messages', 'replicaStatus') },
    bindings: topicBindings(status),
  };
  messages.replicaStatus = {
    name: 'replica-status',
    title: 'A replica’s status report',
    contentType: 'application/json',
    payload: jsonSchema(ReplicaStatusReport),
    bindings: { kafka: { key: { type: 'string', description: 'The instance id.' } } },
  };
  operations[`every-app.sends.${status}`] = { action: 'send', channel: ref('channels', status), messages: [{ $ref: `#/channels/${status}/messages/replicaStatus` }] };
  operations[`gateway.receives.${status}`] = { action: 'receive', channel: ref('channels', status), messages: [{ $ref: `#/channels/${status}/messages/replicaStatus` }] };

  return {
    asyncapi: '3.1.0',
    info: {
      title: 'boxoffice Kafka topics',
      version: '1.0.0',
      description:
        'Every topic between the bounded contexts. Each value is a JSON envelope (libs/contracts/src/envelope.ts) whose `payload` matches the message type; the key is the envelope\'s `aggregateId`. Generated from libs/contracts by `npm run asyncapi`.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}

function envelopeMessage(flow: MessageFlow): Json {
  const { contract } = flow;
  const envelope = EnvelopeSchema.extend({ type: z.literal(contract.type), schemaVersion: z.literal(contract.version), payload: contract.payload });
  return {
    name: contract.type,
    title: `${contract.type} v${contract.version}`,
    contentType: 'application/json',
    headers: jsonSchema(z.object({ 'message-id': z.uuid(), 'message-type': z.literal(contract.type) })),
    payload: jsonSchema(envelope),
    bindings: { kafka: { key: { type: 'string', description: `The payload's \`${flow.key}\`.` } } },
  };
}

function deadLetterMessage(): Json {
  const added = Object.fromEntries(Object.values(DeadLetterHeaders).map((name) => [name, { type: 'string' }]));
  return {
    name: 'dead-letter',
    title: 'A message given up on',
    description: 'The original key, value and headers exactly as delivered, plus the `boxoffice-dlq-*` headers saying where it came from and why.',
    headers: { type: 'object', properties: added, required: Object.values(DeadLetterHeaders).filter((name) => name !== DeadLetterHeaders.nullHeaders) },
    payload: { description: 'The original value, unchanged (possibly not JSON, possibly null).' },
  };
}

/** Partitions and topic settings, as the launcher and the manifests create the topic. */
function topicBindings(topic: string): Json {
  const spec = allTopics().find((t) => t.name === topic);
  if (!spec) throw new Error(`${topic} is not in allTopics() (libs/contracts/src/topics.ts)`);
  const settings = Object.entries(spec.config).map(([name, value]) => [name, name === 'cleanup.policy' ? value.split(',') : /^\d+$/.test(value) ? Number(value) : value]);
  return { kafka: { partitions: spec.partitions, ...(settings.length > 0 ? { topicConfiguration: Object.fromEntries(settings) } : {}) } };
}

function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Json;
  return json;
}

function followed(flow: MessageFlow): string {
  const followers = flow.followers ?? [];
  return followers.length > 0 ? `; followed by ${followers.map((f) => `${f.app} (${f.groupId}, for ${f.why})`).join(', ')}` : '';
}

function listed(contexts: string[]): string {
  return contexts.length > 0 ? contexts.join(', ') : 'no context';
}

function ref(section: string, id: string): Json {
  return { $ref: `#/${section}/${id}` };
}

function channelMessage(topic: string): Json {
  return { $ref: `#/channels/${topic}/messages/${topic}` };
}
