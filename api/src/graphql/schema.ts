import { addAuthFields } from './auth.js';
import { createBuilder } from './builder.js';
import { addClientFields } from './clients.js';
import { addDeskFields } from './desk.js';
import { addStatementFields } from './statements.js';
import { addErpFields } from './erp.js';
import { addLedgerMutations } from './ledgerMutations.js';
import { addMatchingFields } from './matching.js';
import { addMemberFields } from './members.js';
import { addNotificationFields } from './notifications.js';
import { addPoolFields } from './pool.js';
import { addReadModelFields } from './readModel.js';
import { addAlertFields } from './shopFloor.js';
import { addSubscriptionFields } from './subscriptions.js';
import { addSupplyFields } from './supply.js';
import { addSupplyAlternativeFields } from './supplyAlternatives.js';
import { addVerificationFields } from './verification.js';

export type { ApiBuilder, ApiTypes } from './builder.js';

/**
 * The api's GraphQL schema, assembled: the builder (builder.ts) defines no types; each module adds
 * the types and fields of its feature to the three root types declared here.
 */
export function buildSchema() {
  const builder = createBuilder();
  builder.queryType({});
  builder.mutationType({});
  builder.subscriptionType({});
  addAuthFields(builder);
  addPoolFields(builder);
  addVerificationFields(builder);
  addSubscriptionFields(builder);
  addLedgerMutations(builder);
  addMatchingFields(builder);
  addErpFields(builder);
  addSupplyFields(builder);
  addSupplyAlternativeFields(builder);
  addClientFields(builder);
  addMemberFields(builder);
  addAlertFields(builder);
  addNotificationFields(builder);
  addDeskFields(builder);
  addStatementFields(builder);
  addReadModelFields(builder);
  return builder.toSchema({ sortSchema: true });
}
