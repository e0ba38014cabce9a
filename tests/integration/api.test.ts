import { apiScenarios } from '../e2e/apiScenarios.js';
import { postgresDatabases } from '../support/postgresDatabases.js';

// The whole story through GraphQL on the live Fabric network, the read model on PostgreSQL.
apiScenarios('postgres', postgresDatabases(), 'fabric');
