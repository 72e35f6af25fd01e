// Jest runs in ESM mode (node --experimental-vm-modules): the @nestjs packages are ESM-only and
// Jest's own loader cannot require() them on Node 20. SWC compiles TypeScript with decorator metadata.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const project = (displayName, testMatch, extra = {}) => ({
  displayName,
  testMatch,
  // Nest's log lines show only for a failing test; negative tests make the service log expected errors.
  testEnvironment: '<rootDir>/test/support/quiet-environment.mjs',
  setupFilesAfterEnv: ['<rootDir>/test/support/hold-back-logs.ts', '<rootDir>/test/support/check-event-schemas.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  rootDir: '.',
  ...extra,
});

// With TEST_DATABASE_URL set, the integration and e2e specs run a second time on PostgreSQL; specs
// named *.sqlite.* are about SQLite only, *.pg.* about PostgreSQL only.
const postgres = process.env.TEST_DATABASE_URL !== undefined;
if (!postgres) {
  console.warn('TEST_DATABASE_URL is not set: the PostgreSQL runs (integration-pg, e2e-pg) are skipped.');
}
const onPostgres = { setupFiles: ['<rootDir>/test/support/use-postgres.ts'] };

export default {
  // Global only: Jest ignores testTimeout inside a project. The e2e specs start real servers.
  testTimeout: 60000,
  projects: [
    project('unit', ['<rootDir>/src/**/*.spec.ts']),
    project('integration', ['<rootDir>/src/**/*.int-spec.ts'], { testPathIgnorePatterns: ['\\.pg\\.'] }),
    project('e2e', ['<rootDir>/test/**/*.e2e-spec.ts'], { testPathIgnorePatterns: ['\\.pg\\.'] }),
    ...(postgres
      ? [
          project('integration-pg', ['<rootDir>/src/**/*.int-spec.ts'], {
            ...onPostgres,
            testPathIgnorePatterns: ['\\.sqlite\\.'],
          }),
          project('e2e-pg', ['<rootDir>/test/**/*.e2e-spec.ts'], {
            ...onPostgres,
            testPathIgnorePatterns: ['\\.sqlite\\.'],
          }),
        ]
      : []),
  ],
};
