import { randomUUID, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ErrorCode } from '@fabpool/chaincode/model';
import { readConnectionDescription, ROLE_ATTRIBUTE, RUNTIME_DIR } from '@fabpool/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openOrganisationNodes,
  logIn,
  type Members,
  type NodeProcess,
} from '../support/organisationNodes.js';
import { bucketFromNow, unique } from '../support/poolClient.js';
import { nodesOf } from '../support/graphqlClient.js';
import { launchBrowser, SCREENSHOTS } from '../support/browser.js';
import type { MemberAccount } from '@fabpool/api';
import type { Page } from 'playwright-core';
import { totpNow } from '@fabpool/api';

const PASSWORD = 'enrolment-password-2026';
const HOME = { 'factory-a-admin': 'FactoryA', 'factory-a-user': 'FactoryA', 'alliance-admin': 'Alliance' };
const ENROL = `mutation($i: EnrolMemberInput!) {
  enrolMember(input: $i) { member { memberId mspId role status createdBy } userErrors { code field } }
}`;

interface Enrolled {
  member: { memberId: string; mspId: string; role: string; status: string } | null;
  userErrors: { code: string; field: string[] }[];
}

async function logInInBrowser(
  page: Page,
  url: string,
  username: string,
  accounts: readonly MemberAccount[],
): Promise<void> {
  await page.goto(url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  const secret = accounts.find((a) => a.username === username)?.totpSecret;
  if (secret !== undefined) {
    // A code counts once: the nodes' start logged this account in during the current time step.
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 500));
    await page.getByLabel('动态口令').fill(totpNow(secret));
  }
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/**
 * Adding a person after the alliance was formed: FactoryA's admin enrols them on FactoryA's own
 * node (FactoryA's CA makes the identity there, FactoryA's admin proposes the role on the ledger),
 * the operator approves on its own node, and only then does the person's signature count.
 */
describe('an organisation adding a person on its own node', () => {
  let nodes: Map<string, NodeProcess>;
  let members: Members;
  let close: () => Promise<void>;
  const name = `factory-a-p${randomUUID().slice(0, 6)}`;
  const plant = `F-E-${unique()}`;
  const bucket = bucketFromNow(3);
  let memberId = '';
  const declare = (minutes: number) => ({ factoryId: plant, entries: [{ process: 'CNC', bucket, minutes }] });

  beforeAll(async () => {
    ({ nodes, members, close } = await openOrganisationNodes(HOME, PASSWORD));
    await members.mutate('factory-a-user', 'registerFactory', {
      factoryId: plant,
      name: 'Enrolment test plant',
      location: 'Suzhou',
      processes: [{ process: 'CNC', pricePerMinute: 100 }],
    });
  });

  afterAll(async () => {
    await close();
  });

  it('lets only its admin enrol, and says what to fix before anything is made', async () => {
    const input = { name, displayName: '计划员 E', password: PASSWORD };
    expect((await members.gql('factory-a-user', ENROL, { i: input })).errors?.[0]?.extensions?.code).toBe(
      'ACCESS.NOT_ORG_ADMIN',
    );
    expect((await members.ok('factory-a-admin', 'query { canEnrolMembers }')).canEnrolMembers).toBe(true);
    expect((await members.ok('factory-a-user', 'query { canEnrolMembers }')).canEnrolMembers).toBe(false);
    // A refusal the admin can fix is a user error beside the payload, not an error.
    const refused = (await members.gql('factory-a-admin', ENROL, { i: { ...input, password: 'short' } })).data
      ?.enrolMember as Enrolled;
    expect(refused).toEqual({
      member: null,
      userErrors: [{ code: 'ENROLMENT.WEAK_PASSWORD', field: ['input', 'password'] }],
    });
  });

  it('makes the identity with FactoryA’s own CA, on FactoryA’s node, and proposes its role', async () => {
    const enrolled = (
      await members.ok('factory-a-admin', ENROL, { i: { name, displayName: '计划员 E', password: PASSWORD } })
    ).enrolMember as Enrolled;
    expect(enrolled.userErrors).toEqual([]);
    expect(enrolled.member).toMatchObject({ mspId: 'FactoryAMSP', role: 'factory', status: 'PENDING' });
    memberId = enrolled.member?.memberId ?? '';
    // Its key is on FactoryA's node alone, and its certificate carries the role as an attribute.
    const description = await readConnectionDescription(
      join(RUNTIME_DIR, 'nodes', 'FactoryA', 'connection.json'),
    );
    const person = description.members.find((m) => m.name === name);
    expect(person?.enrolled).toBe(true);
    expect(relative(join(RUNTIME_DIR, 'nodes', 'FactoryA'), person?.keyPath ?? '..').startsWith('..')).toBe(
      false,
    );
    const certificate = new X509Certificate(await readFile(person?.certPath ?? '', 'utf8'));
    expect(certificate.issuer).toContain('O=FactoryA');
    expect(certificate.raw.toString('latin1')).toContain(`"${ROLE_ATTRIBUTE}":"factory"`);
    // The same name again is refused, and nothing is made twice.
    const again = (
      await members.gql('factory-a-admin', ENROL, { i: { name, displayName: 'x', password: PASSWORD } })
    ).data?.enrolMember as Enrolled;
    expect(again.userErrors.map((e) => e.code)).toEqual(['ENROLMENT.NAME_TAKEN']);
  });

  it('counts the person’s signature only once the operator approves, on the operator’s node', async () => {
    const factoryA = nodes.get('FactoryA');
    if (factoryA === undefined) throw new Error('no FactoryA node');
    const person = await logIn([{ member: name, url: factoryA.url, accounts: [] }], PASSWORD);
    const before = await person.gql(
      name,
      'mutation($r: DeclareCapacityInput!) { declareCapacity(request: $r) { receipt { result } userErrors { code } } }',
      {
        r: declare(240),
      },
    );
    expect(before.errors?.[0]?.extensions?.code).toBe(ErrorCode.NOT_A_MEMBER);

    const own = nodesOf<{ memberId: string; status: string }>(
      await person.ok(name, 'query { organisationMembers { edges { node { memberId status } } } }'),
      'organisationMembers',
    );
    expect(own).toContainEqual({ memberId, status: 'PENDING' });
    // The operator's node learns of the proposal from its own peer's blocks.
    let pending: { memberId: string }[] = [];
    for (let i = 0; i < 50 && !pending.some((m) => m.memberId === memberId); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      pending = nodesOf(
        await members.ok('alliance-admin', 'query { pendingMembers { edges { node { memberId } } } }'),
        'pendingMembers',
      );
    }
    const proposal = pending.find((m) => m.memberId === memberId);
    expect(proposal).toBeDefined();
    expect(
      (
        await members.gql(
          'factory-a-admin',
          'mutation($m: String!) { approveMember(memberId: $m) { status } }',
          {
            m: proposal?.memberId,
          },
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe('ACCESS.WRONG_ROLE');
    const approved = await members.ok(
      'alliance-admin',
      'mutation($m: String!) { approveMember(memberId: $m) { status approvedBy } }',
      { m: proposal?.memberId },
    );
    expect(approved.approveMember).toMatchObject({ status: 'ACTIVE' });

    expect(await person.mutate(name, 'declareCapacity', declare(240))).toBeDefined();
    await person.mutate(name, 'declareCapacity', declare(0));
  });

  it('lets the operator’s own admin register its own people at once, with the operator’s CA', async () => {
    const input = {
      name: `alliance-o${randomUUID().slice(0, 6)}`,
      displayName: '值班运营',
      password: PASSWORD,
    };
    const enrolled = (await members.ok('alliance-admin', ENROL, { i: input })).enrolMember as Enrolled;
    expect(enrolled.member).toMatchObject({ mspId: 'AllianceMSP', role: 'operator', status: 'ACTIVE' });
  });

  it('in the browser: FactoryA’s admin adds a person on FactoryA’s node, the operator approves on its own', async () => {
    const factoryA = nodes.get('FactoryA');
    const operator = nodes.get('Alliance');
    if (factoryA === undefined || operator === undefined) throw new Error('nodes missing');
    const suffix = randomUUID().slice(0, 6);
    const person = `factory-a-w${suffix}`;
    const displayName = `质检员 ${suffix}`;
    const browser = await launchBrowser();
    try {
      const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await logInInBrowser(admin, factoryA.url, 'factory-a-admin', factoryA.accounts);
      await admin.getByRole('menuitem', { name: '成员' }).click();
      await admin.getByText('添加成员', { exact: true }).first().waitFor();
      await admin.getByLabel('登录名').fill(person);
      await admin.getByLabel('姓名').fill(displayName);
      await admin.getByLabel('初始密码（至少 10 位）').fill('short');
      await admin.getByRole('button', { name: '添加成员' }).click();
      // The api's refusal shows under the field it is about, in Chinese.
      await admin.getByText('密码至少 10 位').first().waitFor();
      await admin.getByLabel('初始密码（至少 10 位）').fill(PASSWORD);
      await admin.getByRole('button', { name: '添加成员' }).click();
      await admin
        .getByTestId('organisation-members')
        .getByRole('row')
        .filter({ hasText: displayName })
        .getByText('待运营方批准')
        .waitFor({ timeout: 30_000 });
      await admin.screenshot({ path: join(SCREENSHOTS, 'members-enrol.png'), fullPage: true });

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await logInInBrowser(page, operator.url, 'alliance-admin', operator.accounts);
      await page.getByRole('menuitem', { name: '成员' }).click();
      const row = page.getByTestId('pending-members').getByRole('row').filter({ hasText: displayName });
      await row.waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(SCREENSHOTS, 'members-approve.png'), fullPage: true });
      await row.getByRole('button', { name: /批\s*准/ }).click();
      await page.getByTestId('action-result').getByText(displayName).waitFor();
      await admin.reload();
      await admin
        .getByTestId('organisation-members')
        .getByRole('row')
        .filter({ hasText: displayName })
        .getByText('已生效')
        .waitFor({ timeout: 30_000 });
    } finally {
      await browser.close();
    }
  });
});
