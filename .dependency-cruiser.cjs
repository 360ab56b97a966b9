/**
 * Architecture rules, checked by `npm test`. The domain layer is plain
 * TypeScript: it may use the shared DDD building blocks and nothing that ties
 * it to a framework, a database or a broker.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-framework-free',
      comment: 'domain/ imports no NestJS, TypeORM, kafkajs, pg or express code',
      severity: 'error',
      from: { path: '^apps/[^/]+/src/domain/' },
      to: { path: 'node_modules/(@nestjs|typeorm|kafkajs|pg|express|@boxoffice)' },
    },
    {
      name: 'domain-only-uses-ddd-lib',
      comment: 'of the shared libs, domain/ may use only libs/ddd',
      severity: 'error',
      from: { path: '^apps/[^/]+/src/domain/' },
      to: { path: '^libs/(?!ddd/)' },
    },
    {
      name: 'domain-does-not-reach-outwards',
      comment: 'domain/ never imports application/, infrastructure/ or interface/',
      severity: 'error',
      from: { path: '^apps/[^/]+/src/domain/' },
      to: { path: '^apps/[^/]+/src/(application|infrastructure|interface)/' },
    },
    {
      name: 'application-does-not-know-adapters',
      comment: 'application/ depends on ports, never on infrastructure/ or interface/',
      severity: 'error',
      from: { path: '^apps/[^/]+/src/application/' },
      to: { path: '^apps/[^/]+/src/(infrastructure|interface)/' },
    },
    {
      name: 'contexts-do-not-share-code',
      comment: 'a context never imports another context; what they share lives in libs/',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'ddd-lib-is-framework-free',
      severity: 'error',
      from: { path: '^libs/ddd/' },
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
