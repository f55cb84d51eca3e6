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
  setupFilesAfterEnv: ['<rootDir>/test/support/cdktf-stack-traces.ts'],
};
