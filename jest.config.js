/** Jest: unit tests beside the code, integration tests on real MariaDB/Redis/S3, browser tests in Chromium. */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const moduleNameMapper = {
  '^@shopfleet/contracts$': '<rootDir>/contracts/src/index.ts',
  // The contracts' zod-free constants, as the console's and the shop's builds alias them.
  '^@shopfleet/contracts/constants$': '<rootDir>/contracts/src/constants.ts',
  '^@shopfleet/platform$': '<rootDir>/platform/src/index.ts',
};
const common = { transform, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname };

module.exports = {
  // A worker per core (jest's default leaves one core to itself): a test waits on MariaDB, Redis, Chromium and its
  // in-process server about as much as it computes, so one worker left the second core of CI's machine mostly idle.
  // Each worker has its own database, Redis prefix and bucket (test-platform.ts), so files in two workers never meet.
  maxWorkers: '100%',
  // A worker runs many files one after another; one whose heap has grown past this (platforms, Chromium pages and
  // their buffers that the garbage collector has not returned yet) is replaced before its next file.
  workerIdleMemoryLimit: '1536MB',
  globalSetup: '<rootDir>/platform/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/platform/test/helpers/global-teardown.ts',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{contracts,platform,workers,tenant-console,template-miniapp}/src/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/platform/test/integration/**/*.test.ts', '<rootDir>/workers/test/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/platform/test/helpers/slow-tests.ts'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/platform/test/browser/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/platform/test/helpers/slow-tests.ts'],
    },
  ],
};
