/**
 * `npm run test:compat`: the cross-language compatibility suite
 * (test/compat). Its clients are Debian packages
 * (scripts/install-compat-clients.sh); each test file starts the compiled
 * sample server (dist/sample, built by the script first) on a free port.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/compat'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 60000,
  // Each file runs real clients against its own server: two at a time is enough on CI's machines.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
