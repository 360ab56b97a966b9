import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.boxoffice/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // Services log through Nest's JSON logger, never straight to the console.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The reading path (ADR 0031): application and domain code never see how messages travel or
    // how writes are batched. Names imported through a library's index are not modules, so
    // dependency-cruiser cannot tell them apart; this rule does. Proven on broken code by
    // test/unit/architecture-rules.spec.ts.
    files: ['apps/*/src/application/**/*.ts', 'apps/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@boxoffice/contracts',
              importNames: ['Envelope', 'EnvelopeSchema'],
              message: 'A use case takes a ConsumedMessage (@boxoffice/messaging), never the transport envelope.',
            },
            {
              name: '@boxoffice/messaging',
              allowImportNames: ['ConsumedMessage', 'CausalContext', 'causedBy'],
              message: 'Of the messaging library, application code uses ConsumedMessage, CausalContext and causedBy; outbox, inbox and Kafka belong to adapters.',
            },
            {
              name: '@boxoffice/persistence',
              message: 'Write batches, shards and prepared statements belong to adapters (infrastructure/); a port hides them.',
            },
            {
              name: '@boxoffice/platform',
              message: 'The platform (Kafka servers, relays, health) is wired in infrastructure/ and interface/, not used by use cases.',
            },
          ],
        },
      ],
      // A port declares what a use case needs, never how the data is spread: a shard count or a
      // shard number in application or domain code means a loop over shards that belongs inside an adapter.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Identifier[name=/^shard(s|Count|Index|Number)?$|ForShard$|Shards$/]',
          message: 'Shards are an adapter’s business: a port hides them (loop over them in infrastructure/, e.g. ShardRouter.everyWriter()).',
        },
      ],
    },
  },
  {
    // Nest resolves constructor parameters from their emitted types, so
    // injected classes must stay value imports.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
