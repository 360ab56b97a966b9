// Jest runs the TypeScript sources as native ES modules (Nest 12 ships ESM only),
// so it is started with --experimental-vm-modules by the test command.
const aliases = {
  '^@boxoffice/(ddd|contracts|messaging|persistence|observability|platform|testing)$': '<rootDir>/libs/$1/src/index.ts',
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: aliases,
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
export default {
  // Tests against the real stack wait for asynchronous effects; this bound only stops a hung test.
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/test/unit/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts', '<rootDir>/test/deploy/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools}/**/test/integration/**/*.spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] },
    // A failover changes the stack for good (a primary is fenced), so these run last, on their own.
    { ...common, displayName: 'failover', testMatch: ['<rootDir>/test/failover/**/*.spec.ts'] },
    // `npm run test:faults` (docs/reliability.md): a stack with two replicas of every context, then one with three brokers.
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/*.spec.ts'] },
    { ...common, displayName: 'faults-three-brokers', testMatch: ['<rootDir>/test/faults/three-brokers/*.spec.ts'] },
  ],
};
