/**
 * Architecture rules, checked by `npm test` (and `npm run arch`). The domain
 * layer is plain TypeScript: it may use the shared DDD building blocks and
 * nothing that ties it to a framework, a database or a broker. The
 * application layer sees ports, payloads and the small messaging vocabulary
 * of @boxoffice/messaging (ConsumedMessage, CausalContext); the machinery
 * that makes the system fast (batched writes, shard routing, prepared
 * statements, the Kafka transport) stays in infrastructure and libs/.
 *
 * Imports of names through a library's index (`Envelope` from
 * @boxoffice/contracts, `processOnce` from @boxoffice/messaging) are not
 * modules, so eslint.config.js checks them (no-restricted-imports). Both are
 * shown failing on deliberately broken files by test/unit/architecture-rules.spec.ts,
 * which cruises test/architecture-fixtures/: every `from` path below also
 * matches there, behind that prefix.
 */
const FIXTURES = '(?:test/architecture-fixtures/)?';
const DOMAIN = `^${FIXTURES}apps/[^/]+/src/domain/`;
const APPLICATION = `^${FIXTURES}apps/[^/]+/src/application/`;
const APPLICATION_OR_DOMAIN = `^${FIXTURES}apps/[^/]+/src/(application|domain)/`;

module.exports = {
  forbidden: [
    {
      name: 'domain-is-framework-free',
      comment: 'domain/ imports no NestJS, TypeORM, kafkajs, pg or express code',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: 'node_modules/(@nestjs|typeorm|kafkajs|pg|express|@boxoffice)' },
    },
    {
      name: 'domain-only-uses-ddd-lib',
      comment: 'of the shared libs, domain/ may use only libs/ddd',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '^libs/(?!ddd/)' },
    },
    {
      name: 'domain-does-not-reach-outwards',
      comment: 'domain/ never imports application/, infrastructure/ or interface/',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: `^${FIXTURES}apps/[^/]+/src/(application|infrastructure|interface)/` },
    },
    {
      name: 'application-does-not-know-adapters',
      comment: 'application/ depends on ports, never on infrastructure/ or interface/',
      severity: 'error',
      from: { path: APPLICATION },
      to: { path: `^${FIXTURES}apps/[^/]+/src/(infrastructure|interface)/` },
    },
    {
      name: 'application-uses-no-orm-or-broker',
      comment: 'application/ reaches the database and the broker through ports: no TypeORM, pg, kafkajs, Nest microservices or express',
      severity: 'error',
      from: { path: APPLICATION },
      to: { path: 'node_modules/(typeorm|@nestjs/typeorm|pg|kafkajs|@nestjs/microservices|express|@nestjs/platform-express)/' },
    },
    {
      name: 'no-persistence-machinery-in-application-or-domain',
      comment:
        'application/ and domain/ never see libs/persistence: write batches (WriteBatch), shard routing and shard counts, ' +
        'guarded connections and their prepared statements. A port hides them; an adapter in infrastructure/ uses them.',
      severity: 'error',
      from: { path: APPLICATION_OR_DOMAIN },
      to: { path: '^libs/persistence/' },
    },
    {
      name: 'no-message-transport-in-application-or-domain',
      comment:
        'application/ and domain/ never see how messages travel: the Envelope module, the outbox, inbox, consumer and Kafka ' +
        'modules of libs/messaging, the batching Kafka server of libs/platform. A use case takes a ConsumedMessage.',
      severity: 'error',
      from: { path: APPLICATION_OR_DOMAIN },
      to: { path: '^libs/(contracts/src/envelope\\.ts$|messaging/src/(kafka|consumer|outbox|inbox)/|platform/src/kafka/)' },
    },
    {
      name: 'contexts-do-not-share-code',
      comment: 'a context never imports another context; what they share lives in libs/',
      severity: 'error',
      from: { path: `^${FIXTURES}apps/([^/]+)/` },
      to: { path: `^${FIXTURES}apps/`, pathNot: `^${FIXTURES}apps/$1/` },
    },
    {
      name: 'ddd-lib-is-framework-free',
      severity: 'error',
      from: { path: `^${FIXTURES}libs/ddd/` },
      to: { path: 'node_modules/(@nestjs|typeorm|kafkajs|pg|express)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|/test/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
