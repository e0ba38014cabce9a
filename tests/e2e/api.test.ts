import { apiScenarios } from './apiScenarios.js';

// The api's end-to-end scenarios on the embedded defaults (embedded ledger, PGlite);
// api.postgres.test.ts runs them against a PostgreSQL server.
apiScenarios('embedded', () => Promise.resolve(undefined));
