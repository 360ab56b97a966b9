import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import * as contracts from '@boxoffice/contracts';
import { DeadLetterTopics, MessageFlows, type EventContract } from '@boxoffice/contracts';

/*
 * MessageFlows (libs/contracts) is what the AsyncAPI document says about who
 * sends and who receives each message. These tests read the apps' sources,
 * so the document cannot drift from the code:
 * - a context consumes a topic when one of its handlers is an
 *   `@EventPattern(Contract.topic)` or calls `consume(Contract, …)`;
 * - a context produces a message when a file that stages outbox rows
 *   (`stageMessage(`) names its contract.
 * The context map's table (docs/context-map.md) must say the same.
 */

const repo = new URL('../../', import.meta.url).pathname;
const contractsByName = new Map<string, EventContract>();
for (const [name, value] of Object.entries(contracts as Record<string, unknown>)) if (isContract(value)) contractsByName.set(name, value);

describe('MessageFlows, the source of docs/asyncapi.json', () => {
  it('lists exactly the messages each context consumes', () => {
    expect(fromSources(consumedTopics)).toEqual(declared('consumers'));
  });

  it('lists exactly the messages each context writes to its outbox', () => {
    expect(fromSources(producedTopics)).toEqual(declared('producers'));
  });

  it('lists the topics an app follows in a group of each replica’s own (the gateway’s seat feed), named as the app names them', () => {
    expect(fromSources(followedTopics)).toEqual(declaredFollowers());
    for (const flow of MessageFlows) {
      for (const follower of flow.followers ?? []) {
        const [prefix] = follower.groupId.split('<instance>');
        // The group's name as a literal in the app: a template (`prefix${…}`) or a string constant ('prefix').
        expect(sourcesOf(follower.app).some((source) => source.includes(`\`${prefix}\${`) || source.includes(`'${prefix}'`))).toBe(true);
      }
    }
  });

  it('gives each consuming context a dead-letter topic, and no other context one', () => {
    expect(Object.keys(DeadLetterTopics).sort()).toEqual(Object.keys(fromSources(consumedTopics)).sort());
  });

  it('is what the context map says each context publishes and consumes', () => {
    const table = contextMapTable();
    expect(table.map(([context]) => context).sort()).toEqual(contexts().sort());
    expect(table.map(([context, publishes]) => [context, publishes])).toEqual(table.map(([context]) => [context, declared('producers')[context] ?? []]));
    expect(table.map(([context, , consumes]) => [context, consumes])).toEqual(table.map(([context]) => [context, declared('consumers')[context] ?? []]));
  });

  it("is what each app's README says it consumes, produces and follows, with its dead-letter topic", () => {
    const missing: string[] = [];
    for (const app of contexts()) {
      const named = new Set([...readFileSync(join(repo, 'apps', app, 'README.md'), 'utf8').matchAll(/`([a-z-]+\.[a-z-]+\.v\d+)`/g)].map((m) => m[1]));
      const topics = [
        ...(declared('consumers')[app] ?? []),
        ...(declared('producers')[app] ?? []),
        ...(declaredFollowers()[app] ?? []),
        ...(app in DeadLetterTopics ? [DeadLetterTopics[app as keyof typeof DeadLetterTopics]] : []),
      ];
      missing.push(...topics.filter((topic) => !named.has(topic)).map((topic) => `apps/${app}/README.md: ${topic}`));
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('names a key every variant of the payload carries', () => {
    for (const flow of MessageFlows) {
      const schema = z.toJSONSchema(flow.contract.payload) as JsonSchema;
      for (const variant of schema.oneOf ?? schema.anyOf ?? [schema]) {
        expect({ topic: flow.contract.topic, required: variant.required ?? [] }).toEqual({ topic: flow.contract.topic, required: expect.arrayContaining([flow.key]) });
      }
    }
  });
});

/** docs/context-map.md's table: each context with the topics named in its publishes and consumes columns. */
function contextMapTable(): [context: string, publishes: string[], consumes: string[]][] {
  const text = readFileSync(join(repo, 'docs/context-map.md'), 'utf8');
  const topics = (cell: string) => [...new Set([...cell.matchAll(/`([a-z-]+\.[a-z-]+\.v\d+)`/g)].map((m) => m[1]))].sort();
  return [...text.matchAll(/^\| (\w+) \|[^|]*\|([^|]*)\|([^|]*)\|$/gm)]
    .filter((row) => row[1] !== 'context')
    .map((row) => [row[1], topics(row[2]), topics(row[3])]);
}

interface JsonSchema {
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

/** Topics by context, as MessageFlows declares them. */
function declared(role: 'producers' | 'consumers'): Record<string, string[]> {
  const byContext: Record<string, string[]> = {};
  for (const flow of MessageFlows) for (const context of flow[role]) (byContext[context] ??= []).push(flow.contract.topic);
  return sortedValues(byContext);
}

/** Topics by context, as the apps' sources show them (contexts with none left out). */
function fromSources(topicsIn: (sources: string[]) => string[]): Record<string, string[]> {
  const byContext: Record<string, string[]> = {};
  for (const context of contexts()) {
    const topics = topicsIn(sourcesOf(context));
    if (topics.length > 0) byContext[context] = [...new Set(topics)];
  }
  return sortedValues(byContext);
}

function consumedTopics(sources: string[]): string[] {
  return sources.flatMap((source) => [
    ...[...source.matchAll(/@EventPattern(?:<[^>]*>)?\(\s*([^)]*?)\s*\)/g)].map((m) => topicOf(m[1])),
    ...[...source.matchAll(/\.consume\(\s*(\w+)\s*,/g)].map((m) => contractNamed(m[1]).topic),
  ]);
}

/** A kafkajs consumer of the app's own subscribing to one contract's topic: `consumer.subscribe({ topic: Contract.topic, … })`. */
function followedTopics(sources: string[]): string[] {
  return sources.flatMap((source) => [...source.matchAll(/\.subscribe\(\{\s*topic:\s*(\w+)\.topic\b/g)].map((m) => contractNamed(m[1]).topic));
}

/** Topics by app, as MessageFlows' followers declare them. */
function declaredFollowers(): Record<string, string[]> {
  const byApp: Record<string, string[]> = {};
  for (const flow of MessageFlows) for (const follower of flow.followers ?? []) (byApp[follower.app] ??= []).push(flow.contract.topic);
  return sortedValues(byApp);
}

function producedTopics(sources: string[]): string[] {
  return sources
    .filter((source) => source.includes('stageMessage('))
    .flatMap((source) => [...source.matchAll(/\b\w+V\d+\b/g)].map((m) => m[0]))
    .filter((name) => contractsByName.has(name))
    .map((name) => contractNamed(name).topic);
}

/** `Contract.topic` or `Topics.name`: anything else is a pattern this test cannot follow, so it fails. */
function topicOf(pattern: string): string {
  const viaContract = /^(\w+)\.topic$/.exec(pattern);
  if (viaContract) return contractNamed(viaContract[1]).topic;
  const viaTopics = /^Topics\.(\w+)$/.exec(pattern);
  const topic = viaTopics ? (contracts.Topics as Record<string, string>)[viaTopics[1]] : undefined;
  if (!topic) throw new Error(`@EventPattern(${pattern}): name the topic as Contract.topic or Topics.name`);
  return topic;
}

function contractNamed(name: string): EventContract {
  const contract = contractsByName.get(name);
  if (!contract) throw new Error(`${name} is not a contract exported by @boxoffice/contracts`);
  return contract;
}

/** Every app under apps/ that can take part in messaging: not the storefront's pages (apps/web), which only call the gateway. */
function contexts(): string[] {
  return readdirSync(join(repo, 'apps'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'web')
    .map((entry) => entry.name);
}

function sourcesOf(context: string): string[] {
  const dir = join(repo, 'apps', context, 'src');
  return (readdirSync(dir, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).map((file) => readFileSync(join(dir, file), 'utf8'));
}

function isContract(value: unknown): value is EventContract {
  return typeof value === 'object' && value !== null && 'topic' in value && 'payload' in value && 'type' in value;
}

function sortedValues(byContext: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(byContext).map(([context, topics]) => [context, [...topics].sort()]));
}
