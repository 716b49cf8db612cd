// Two Jest projects: fast unit specs next to the code, and integration specs that talk to the
// real Kafka broker and PostgreSQL (started by tools/cli/test.mjs or already running).
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const moduleNameMapper = { '^@prestanda/(.*)$': '<rootDir>/libs/$1/src/index.ts' };
const common = { rootDir: __dirname, transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node' };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/test/**/*.integration-spec.ts', '<rootDir>/e2e/**/*.integration-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/test/integration-setup.ts'],
    },
  ],
};
