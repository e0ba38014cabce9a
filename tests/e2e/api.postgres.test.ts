import { postgresDatabases } from '../support/postgresDatabases.js';
import { apiScenarios } from './apiScenarios.js';

// The same scenarios with the read model on a real PostgreSQL server, one fresh database per api.
apiScenarios('postgres', postgresDatabases());
