import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The architecture rules fail on code that breaks them, not only pass on code
 * that does not: dependency-cruiser (.dependency-cruiser.cjs) is run with the
 * repository's own rules over test/architecture-fixtures/, where every file
 * breaks the one rule it is named after and apps/clean/ breaks none; ESLint
 * (eslint.config.js) is run over snippets placed, by name, in a context's
 * application and domain layers.
 */
const root = join(import.meta.dirname, '..', '..');
const fixtures = 'test/architecture-fixtures';

interface Violation {
  from: string;
  rule: { name: string };
}

function cruiseFixtures(): Violation[] {
  const run = spawnSync(join(root, 'node_modules/.bin/depcruise'), [fixtures, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!run.stdout) throw new Error(`depcruise printed nothing: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

function lint(filePath: string, code: string): string[] {
  const run = spawnSync(join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', filePath, '--format', 'json'], { cwd: root, input: code, encoding: 'utf8' });
  if (!run.stdout) throw new Error(`eslint printed nothing: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the dependency rules', () => {
  let violations: Violation[];
  beforeAll(() => {
    violations = cruiseFixtures();
  });

  const broken = (file: string) => `${fixtures}/${file}`;

  it.each([
    ['apps/broken/src/domain/domain-is-framework-free.ts', ['domain-is-framework-free']],
    ['apps/broken/src/domain/domain-only-uses-ddd-lib.ts', ['domain-only-uses-ddd-lib']],
    ['apps/broken/src/domain/domain-does-not-reach-outwards.ts', ['domain-does-not-reach-outwards']],
    ['apps/broken/src/application/application-does-not-know-adapters.ts', ['application-does-not-know-adapters']],
    ['apps/broken/src/application/application-uses-no-orm-or-broker.ts', ['application-uses-no-orm-or-broker']],
    ['apps/broken/src/application/no-persistence-machinery-in-application-or-domain.ts', ['no-persistence-machinery-in-application-or-domain']],
    // In the domain it also breaks domain-only-uses-ddd-lib.
    ['apps/broken/src/domain/no-persistence-machinery-in-application-or-domain.ts', ['domain-only-uses-ddd-lib', 'no-persistence-machinery-in-application-or-domain']],
    ['apps/broken/src/application/no-message-transport-in-application-or-domain.ts', ['no-message-transport-in-application-or-domain']],
    ['apps/broken/src/application/no-message-transport-in-application-or-domain.inbox.ts', ['no-message-transport-in-application-or-domain']],
    ['apps/broken/src/application/no-message-transport-in-application-or-domain.batching-server.ts', ['no-message-transport-in-application-or-domain']],
    ['apps/broken/src/domain/contexts-do-not-share-code.ts', ['contexts-do-not-share-code']],
    ['libs/ddd/src/ddd-lib-is-framework-free.ts', ['ddd-lib-is-framework-free']],
    ['apps/broken/src/domain/no-circular.a.ts', ['no-circular']],
  ])('%s fails %j', (file, rules) => {
    const failed = violations.filter((v) => v.from === broken(file)).map((v) => v.rule.name);
    expect([...new Set(failed)].sort()).toEqual(rules);
  });

  it('finds nothing else: the clean context and the files the broken ones import pass every rule', () => {
    const named = new Set([
      'domain-is-framework-free',
      'domain-only-uses-ddd-lib',
      'domain-does-not-reach-outwards',
      'application-does-not-know-adapters',
      'application-uses-no-orm-or-broker',
      'no-persistence-machinery-in-application-or-domain',
      'no-message-transport-in-application-or-domain',
      'contexts-do-not-share-code',
      'ddd-lib-is-framework-free',
      'no-circular',
    ]);
    const unexpected = violations.filter((v) => !v.from.includes('/broken/') && !v.from.includes('/libs/ddd/')).map((v) => `${v.from}: ${v.rule.name}`);
    expect(unexpected).toEqual([]);
    // A rule renamed or added without a broken file here is caught too.
    expect([...new Set(violations.map((v) => v.rule.name))].sort()).toEqual([...named].sort());
  });
});

describe('the import-name rules (eslint)', () => {
  it('refuse the Envelope in an application layer', () => {
    const messages = lint('apps/ordering/src/application/broken.ts', `import type { Envelope } from '@boxoffice/contracts';\nexport type Received = Envelope;\n`);
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports: 'Envelope' import from '@boxoffice\/contracts' is restricted/)]);
  });

  it('refuse the inbox and the outbox of the messaging library in an application layer', () => {
    const messages = lint('apps/payments/src/application/broken.ts', `import { processOnce, stageMessage } from '@boxoffice/messaging';\nexport const used = [processOnce, stageMessage];\n`);
    expect(messages).toHaveLength(2);
    expect(messages.every((m) => m.startsWith('no-restricted-imports:'))).toBe(true);
  });

  it('refuse the persistence library (WriteBatch) in a domain layer', () => {
    const messages = lint('apps/catalog/src/domain/broken.ts', `import { WriteBatch } from '@boxoffice/persistence';\nexport const current = () => WriteBatch.current();\n`);
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports: '@boxoffice\/persistence' import is restricted/)]);
  });

  it('refuse shard counts and shard numbers in a port or a use case', () => {
    const port = `export abstract class OrderStore {\n  abstract shardCount(): number;\n  abstract overdueOnShard(shard: number): Promise<string[]>;\n}\n`;
    const messages = lint('apps/ordering/src/application/ports/broken.port.ts', port);
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-syntax: Shards are an adapter/), expect.stringMatching(/^no-restricted-syntax: Shards are an adapter/)]);
    const loop = `export async function sweep(store: { shardCount(): number }) {\n  for (let s = 0; s < store.shardCount(); s++) await Promise.resolve(s);\n}\n`;
    expect(lint('apps/inventory/src/application/broken.ts', loop)).toEqual([
      expect.stringMatching(/^no-restricted-syntax:/),
      expect.stringMatching(/^no-restricted-syntax:/),
    ]);
  });

  it('let an application layer take a ConsumedMessage and name its cause', () => {
    const code = `import type { SeatReply } from '@boxoffice/contracts';\nimport { causedBy, type ConsumedMessage } from '@boxoffice/messaging';\nexport const cause = (m: ConsumedMessage<SeatReply>) => causedBy(m);\n`;
    expect(lint('apps/ordering/src/application/fine.ts', code)).toEqual([]);
  });

  it('leave adapters alone: infrastructure uses the machinery', () => {
    const code = `import type { Envelope } from '@boxoffice/contracts';\nimport { WriteBatch } from '@boxoffice/persistence';\nexport const seen = (e: Envelope) => [e, WriteBatch.current()];\n`;
    expect(lint('apps/ordering/src/infrastructure/fine.ts', code)).toEqual([]);
  });
});
