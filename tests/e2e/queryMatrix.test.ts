import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemberAccounts, startApi, type RunningApi } from '@fabpool/api';
import { buildSchema, getNamedType, isNonNullType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokens } from '../support/accounts.js';
import { argumentValue } from '../support/fieldSweep.js';
import { refusalOf } from '../support/graphqlClient.js';

const PASSWORD = 'query-matrix-2026';
const SCHEMA_FILE = join(import.meta.dirname, '..', '..', 'api', 'schema.graphql');
const ROLES: Record<string, string> = {
  operator: 'alliance-admin',
  factory: 'factory-a-user',
  customer: 'customer-1',
  auditor: 'auditor',
  supplier: 'supplier-1',
};
const ALL = ['operator', 'factory', 'customer', 'auditor', 'supplier'];
const OVERSEERS = ['operator', 'auditor'];
const PARTIES = ['factory', 'customer', 'operator', 'auditor'];

/**
 * Who may ask each query of the api: every other role is refused before anything is read
 * (ACCESS.WRONG_ROLE). The chaincode's own reader checks (tests/conformance/ownership.ts) and each
 * resolver's scoping by member (the e2e tests) narrow what an allowed role gets.
 */
const QUERY_ROLES: Record<string, readonly string[]> = {
  alerts: PARTIES,
  amendmentsAwaitingMe: ['factory'],
  analytics: PARTIES,
  assignmentRuns: OVERSEERS,
  auditReport: OVERSEERS,
  bids: ['factory', 'customer', 'operator', 'auditor'],
  canEnrolMembers: ALL,
  capacityGrid: PARTIES,
  custody: PARTIES,
  customerCompanies: OVERSEERS,
  demandForecast: ['supplier'],
  factories: PARTIES,
  handOvers: PARTIES,
  incomingLots: ['factory'],
  keyHistory: OVERSEERS,
  ledgerBlocks: OVERSEERS,
  lotStatus: ['operator', 'auditor', 'factory'],
  lotsInShifts: PARTIES,
  matcherRuns: PARTIES,
  me: ALL,
  myCapacity: ['factory'],
  myClients: ['factory', 'customer', 'supplier'],
  myLots: ['factory'],
  myMaterialNeeds: ['supplier'],
  notificationDeliveries: PARTIES,
  notificationSubscriptions: PARTIES,
  organisationMembers: ALL,
  organisations: ALL,
  ownSealedBid: ['factory'],
  pendingMembers: ['operator'],
  pool: PARTIES,
  processParameters: ['factory', 'customer'],
  quarantinedEvents: OVERSEERS,
  quotaMarket: PARTIES,
  replayAssignmentRun: OVERSEERS,
  settlementStatement: PARTIES,
  settlements: PARTIES,
  statementCounterparties: ['factory', 'customer'],
  statementDocument: PARTIES,
  statements: PARTIES,
  // The operator helps a customer weigh a late material's alternatives.
  supplierOrganisations: ['customer', 'operator'],
  supplyAlternatives: ['customer', 'operator'],
  trace: PARTIES,
  verifyLedger: OVERSEERS,
  whatIf: ['operator', 'customer', 'factory'],
  workOrder: PARTIES,
  workOrderTemplate: ['customer'],
};

describe('the authorisation matrix: every role × every query', () => {
  let api: RunningApi;
  let dir: string;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabpool-query-matrix-'));
    api = await startApi({ dataDir: dir });
    const accounts = await createMemberAccounts(api.database.pool, api.ledger, PASSWORD);
    for (const [member, token] of await accessTokens(api.url, accounts, Object.values(ROLES), PASSWORD))
      tokens.set(member, token);
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('states who may ask every query the api serves, and refuses everyone else before reading', async () => {
    const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const fields = Object.values(schema.getQueryType()?.getFields() ?? {});
    expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(QUERY_ROLES).sort());
    const wrong: string[] = [];
    for (const field of fields) {
      const args = field.args.filter((a) => isNonNullType(a.type));
      const variables = Object.fromEntries(args.map((a) => [a.name, argumentValue(a.type)]));
      const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
      const query = `query${declared === '' ? '' : `(${declared})`} { ${field.name}${passed === '' ? '' : `(${passed})`}${selection} }`;
      for (const [role, member] of Object.entries(ROLES)) {
        const response = await fetch(`${api.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens.get(member) ?? ''}`,
          },
          body: JSON.stringify({ query, variables }),
        });
        const refused = refusalOf((await response.json()) as never) === 'ACCESS.WRONG_ROLE';
        const allowed = QUERY_ROLES[field.name]?.includes(role) ?? false;
        if (refused === allowed) wrong.push(`${field.name} as ${role}: ${refused ? 'refused' : 'answered'}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
