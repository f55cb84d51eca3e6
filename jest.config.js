/** Tests run the TypeScript sources through SWC (no type check: `npm test` runs `tsc` first). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  // jest's default keeps one core idle on a 2-core machine; the suites are CPU-bound and independent.
  maxWorkers: '100%',
  testSequencer: '<rootDir>/test/support/heavy-first-sequencer.js',
  // The sample environments are synthesized once per run and read by many suites (test/support/sample-synth.ts).
  globalSetup: '<rootDir>/test/support/sample-synth-setup.ts',
  globalTeardown: '<rootDir>/test/support/sample-synth-teardown.ts',
  moduleNameMapper: { '^archiver$': '<rootDir>/test/support/lazy-archiver.js' },
  setupFilesAfterEnv: ['<rootDir>/test/support/cdktf-stack-traces.ts'],
};
