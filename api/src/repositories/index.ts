/**
 * Every SQL statement of the api, by aggregate or table. Exported for the repository tests, which
 * run them against PGlite and a PostgreSQL server (tests/e2e/repositories.test.ts).
 */
export * as accounts from './accounts.js';
export * as alerts from './alerts.js';
export * as capacity from './capacity.js';
export * as custody from './custody.js';
export * as factories from './factories.js';
export * as factoryReports from './factoryReports.js';
export * as ledgerEvents from './ledgerEvents.js';
export * as loginAttempts from './loginAttempts.js';
export * as lots from './lots.js';
export * as matcherRuns from './matcherRuns.js';
export * as members from './members.js';
export * as partnerClients from './partnerClients.js';
export * as quotas from './quotas.js';
export * as readModelWrites from './readModelWrites.js';
export * as records from './records.js';
export * as refreshTokens from './refreshTokens.js';
export * as settlements from './settlements.js';
export * as supplyDelays from './supplyDelays.js';
export * as workOrders from './workOrders.js';
export { firstRows } from './queryable.js';
export type { Page, Queryable, ReadScope, Stored } from './queryable.js';
