import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships CommonJS (what Node loads for Pothos and yoga) and ESM (what Vite would pick):
  // two copies break its instanceof checks, so tests load the one Node loads.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    reporters: ['default', './tests/support/summaryReporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'chaincode/src/**/*.test.ts',
            'network/src/**/*.test.ts',
            'matcher/src/**/*.test.ts',
            'api/src/**/*.test.ts',
            'web/src/**/*.test.ts',
            'web/build/**/*.test.ts',
            'tests/support/**/*.test.ts',
          ],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // The embedded ledger: no Fabric binaries, each file on a fresh ledger of its own.
          name: 'embedded',
          include: [
            'tests/conformance/**/*.test.ts',
            'tests/embedded/**/*.test.ts',
            'tests/e2e/**/*.test.ts',
            'tests/security/**/*.test.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Debian's chromium through playwright-core against a running api serving web/dist.
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
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
