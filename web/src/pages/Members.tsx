import { Alert, Button, Card, Form, Input, Table, Tag, Typography, type TableColumnType } from 'antd';
import { useOrganisationName } from '../organisations';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { MemberRowFragment } from '../gql/graphql';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { useAction } from '../useAction';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';

export const MEMBER_ROW = graphql(`
  fragment MemberRow on Member {
    memberId
    mspId
    displayName
    role
    status
    createdAt
    approvedAt
  }
`);
const MEMBERS = graphql(`
  query Members($isOperator: Boolean!) {
    organisationMembers(first: 500) {
      edges {
        node {
          ...MemberRow
        }
      }
    }
    canEnrolMembers
    pendingMembers(first: 500) @include(if: $isOperator) {
      edges {
        node {
          ...MemberRow
        }
      }
    }
  }
`);
const ENROL_MEMBER = graphql(`
  mutation EnrolMember($i: EnrolMemberInput!) {
    enrolMember(input: $i) {
      member {
        memberId
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);
const APPROVE_MEMBER = graphql(`
  mutation ApproveMember($m: String!) {
    approveMember(memberId: $m) {
      memberId
      status
    }
  }
`);
type Member = MemberRowFragment;
interface NewPerson {
  name: string;
  displayName: string;
  password: string;
}

const STATUS_COLOUR: Record<string, string> = { ACTIVE: 'green', PENDING: 'gold', SUSPENDED: 'red' };

/**
 * The people of the caller's organisation. Its admin adds someone here, on the organisation's own
 * node (its CA makes their key here, and it stays here); the role counts once an operator approves
 * it, which operators do below on their own node.
 */
export default function Members({ t, session }: PageProps) {
  const isOperator = session.role === 'operator';
  const api = useApi();
  const { data, error, reload } = useLiveQuery(MEMBERS, { isOperator }, POOL_CHANGES);
  const nameOf = useOrganisationName();
  const { run, banner, busy } = useAction(t);
  const [form] = Form.useForm<NewPerson>();
  if (error !== undefined) return <Alert type="error" title={`${t('loadFailed')}${error}`} />;
  const label = (prefix: string, value: string) => {
    const key = `${prefix}${value}` as MessageKey;
    const text = t(key);
    return text === key ? value : text;
  };
  const nameColumn: TableColumnType<Member> = {
    title: t('memberName'),
    dataIndex: 'displayName',
    key: 'displayName',
  };
  const roleColumn: TableColumnType<Member> = {
    title: t('memberRole'),
    key: 'role',
    render: (_: unknown, m: Member) => label('role.', m.role),
  };
  const statusColumn: TableColumnType<Member> = {
    title: t('memberStatus'),
    key: 'status',
    render: (_: unknown, m: Member) => (
      <Tag color={STATUS_COLOUR[m.status] ?? 'default'}>{label('memberStatus.', m.status)}</Tag>
    ),
  };
  const sinceColumn: TableColumnType<Member> = {
    title: t('memberSince'),
    key: 'createdAt',
    render: (_: unknown, m: Member) => m.createdAt.slice(0, 16).replace('T', ' '),
  };
  const enrol = async (person: NewPerson) => {
    // Its user errors are shown field by field here, not as one banner.
    const answer = await api.mutate(ENROL_MEMBER, { i: person });
    const { userErrors } = answer.enrolMember;
    // Each refusal goes under the field it is about, in the page's language where it has words for it.
    form.setFields(
      (['name', 'displayName', 'password'] as const).map((name) => ({
        name,
        errors: userErrors.filter((e) => e.field[1] === name).map((e) => label('', e.code)),
      })),
    );
    if (userErrors.length > 0) throw new Error(userErrors.map((e) => label('', e.code)).join('；'));
    form.resetFields();
    reload();
  };
  return (
    <>
      <Typography.Title level={3}>{t('members')}</Typography.Title>
      {banner}
      <Table<Member>
        data-testid="organisation-members"
        rowKey="memberId"
        size="small"
        pagination={false}
        loading={data === undefined}
        dataSource={(data?.organisationMembers.edges ?? []).map((e) => e.node)}
        columns={[nameColumn, roleColumn, statusColumn, sinceColumn]}
      />
      {data?.canEnrolMembers === true && (
        <Card title={t('enrolMember')} style={{ marginTop: 16, maxWidth: 520 }}>
          <Typography.Paragraph type="secondary">{t('enrolMemberHelp')}</Typography.Paragraph>
          <Form<NewPerson>
            form={form}
            layout="vertical"
            onFinish={(person) => void run(() => enrol(person), person.displayName)}
          >
            <Form.Item
              label={t('enrolName')}
              name="name"
              extra={t('enrolNameHelp')}
              rules={[{ required: true }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item label={t('memberName')} name="displayName" rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item label={t('enrolPassword')} name="password" rules={[{ required: true }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('enrolMember')}
            </Button>
          </Form>
        </Card>
      )}
      {isOperator && (
        <>
          <Typography.Title level={4} style={{ marginTop: 24 }}>
            {t('pendingMembers')}
          </Typography.Title>
          <Table<Member>
            data-testid="pending-members"
            rowKey="memberId"
            size="small"
            pagination={false}
            locale={{ emptyText: t('noPendingMembers') }}
            dataSource={(data?.pendingMembers?.edges ?? []).map((e) => e.node)}
            columns={[
              {
                title: t('organisation'),
                dataIndex: 'mspId',
                key: 'mspId',
                render: (mspId: string) => nameOf(mspId),
              },
              nameColumn,
              roleColumn,
              sinceColumn,
              {
                title: '',
                key: 'approve',
                render: (_: unknown, m: Member) => (
                  <Button
                    size="small"
                    type="primary"
                    loading={busy}
                    onClick={() =>
                      void run(async () => {
                        await api.write(APPROVE_MEMBER, { m: m.memberId });
                        reload();
                      }, m.displayName)
                    }
                  >
                    {t('approveMember')}
                  </Button>
                ),
              },
            ]}
          />
        </>
      )}
    </>
  );
}
