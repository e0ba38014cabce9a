export { buildApp, publishedSchemas, type AppDependencies } from './app.js';
export { buildSchema, type ApiContext } from './graphql/schema.js';
export { startApi, type RunningApi, type StartOptions } from './server.js';
export { createUser, authenticate } from './auth/users.js';
export { issueAccessToken, verifyAccessToken, type TokenSettings, type Viewer } from './auth/tokens.js';
export { Projector } from './readModel/projector.js';
export { migrate } from './db/migrate.js';
export { openDatabase } from './db/database.js';
export { createMemberAccounts } from './demo/accounts.js';
