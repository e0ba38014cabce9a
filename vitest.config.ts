import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summaryReporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['chaincode/src/**/*.test.ts', 'network/src/**/*.test.ts', 'matcher/src/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          // The embedded ledger: no Fabric binaries, each file on a fresh ledger of its own.
          name: 'embedded',
          include: ['tests/conformance/**/*.test.ts', 'tests/embedded/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/networkSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
