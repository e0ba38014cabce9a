import {
  Button,
  Card,
  Checkbox,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useOrganisationName } from '../organisations';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { DocumentFormat, StatementsQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { yuan } from '../session';
import { usePaging } from '../paging';
import { useAction } from '../useAction';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';

const STATEMENTS = graphql(`
  query Statements($first: Int!) {
    statements(first: $first) {
      edges {
        node {
          statementId
          customerMemberId
          customerName
          factoryMspId
          factoryName
          from
          to
          status
          contentHash
          customerSignature {
            at
          }
          factorySignature {
            at
          }
          dispute {
            reason
            settlementIds
            quotaIds
          }
          figures {
            settlementIds
            quotaIds
            owedByA
            netAPaysB
            outstandingByA
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    me {
      role
      mspId
      memberId
    }
  }
`);
const COUNTERPARTIES = graphql(`
  query StatementCounterparties {
    statementCounterparties {
      id
      name
      mspId
    }
  }
`);
const CLOSE = graphql(`
  mutation CloseStatement($r: CloseStatementInput!) {
    closeStatement(request: $r) {
      ...LedgerWrite
    }
  }
`);
const ACKNOWLEDGE = graphql(`
  mutation AcknowledgeStatement($r: AcknowledgeStatementInput!) {
    acknowledgeStatement(request: $r) {
      ...LedgerWrite
    }
  }
`);
const DISPUTE = graphql(`
  mutation DisputeStatement($r: DisputeStatementInput!) {
    disputeStatement(request: $r) {
      ...LedgerWrite
    }
  }
`);
const STATEMENT_DOCUMENT = graphql(`
  query StatementDocument($id: String!, $format: DocumentFormat!) {
    statementDocument(statementId: $id, format: $format) {
      fileName
      mediaType
      base64
    }
  }
`);
const AUDIT_REPORT = graphql(`
  query AuditReport($format: DocumentFormat!) {
    auditReport(format: $format) {
      fileName
      mediaType
      base64
    }
  }
`);

type Statement = StatementsQuery['statements']['edges'][number]['node'];
const FORMATS: { format: DocumentFormat; label: string }[] = [
  { format: 'CSV', label: 'CSV' },
  { format: 'XLSX', label: 'Excel' },
  { format: 'PDF', label: 'PDF' },
];
const STATUS_COLOUR = { OPEN: 'orange', AGREED: 'green', DISPUTED: 'red' } as const;
const day = (instant: string) => instant.slice(0, 10);
const today = () => new Date().toISOString().slice(0, 10);
/** The end of a chosen day (the period includes it), or now while the day is not over. */
const endOfDay = (date: string) =>
  new Date(Math.min(Date.parse(`${date}T00:00:00Z`) + 86_400_000, Date.now() - 1_000)).toISOString();
const newStatementId = () =>
  `ST-${today().replaceAll('-', '')}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;

/** Saves a document the api made: its base64 content as a file in the browser's downloads. */
function save(document: { fileName: string; mediaType: string; base64: string }): void {
  const bytes = Uint8Array.from(atob(document.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: document.mediaType }));
  const link = window.document.createElement('a');
  link.href = url;
  link.download = document.fileName;
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

/** Download buttons, one per format, for a document the api makes on request. */
export function DocumentButtons({
  t,
  fetch,
  testId,
}: Pick<PageProps, 't'> & {
  fetch: (format: DocumentFormat) => Promise<{ fileName: string; mediaType: string; base64: string }>;
  testId: string;
}) {
  const { run, banner, busy } = useAction(t, { errorsOnly: true });
  return (
    <Space size={4} data-testid={testId}>
      {banner}
      {FORMATS.map(({ format, label }) => (
        <Button
          key={format}
          size="small"
          loading={busy}
          onClick={() =>
            void run(async () => {
              save(await fetch(format));
            }, label)
          }
        >
          {label}
        </Button>
      ))}
    </Space>
  );
}

/**
 * Closed period statements (对账单): a customer or a factory closes a period with the other side,
 * which acknowledges it or disputes it naming the lines; each downloads as CSV, Excel or PDF.
 * Overseers see all of them, and the auditor's report beside them.
 */
export function Statements({ t }: PageProps) {
  const api = useApi();
  const { first, showMore } = usePaging(t);
  const found = useLiveQuery(STATEMENTS, { first }, POOL_CHANGES);
  const me = found.data?.me;
  const party = me?.role === 'customer' || me?.role === 'factory';
  const { run, banner, busy } = useAction(t);
  const [disputing, setDisputing] = useState<Statement | undefined>();
  const mySide = (s: Statement) =>
    me === undefined
      ? undefined
      : me.memberId === s.customerMemberId
        ? 'customer'
        : me.role === 'factory' && me.mspId === s.factoryMspId
          ? 'factory'
          : undefined;
  const acknowledge = async (s: Statement) => {
    if (await run(() => api.write(ACKNOWLEDGE, { r: { statementId: s.statementId } }), s.statementId))
      found.reload();
  };
  const statements = (found.data?.statements.edges ?? []).map((e) => e.node);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {banner}
      {party && <CloseStatementForm t={t} me={me} onClosed={found.reload} />}
      {(me?.role === 'auditor' || me?.role === 'operator') && (
        <Card size="small" title={t('auditReport')}>
          <Space>
            <Typography.Text type="secondary">{t('auditReportHint')}</Typography.Text>
            <DocumentButtons
              t={t}
              testId="audit-report"
              fetch={async (format) => (await api.query(AUDIT_REPORT, { format })).auditReport}
            />
          </Space>
        </Card>
      )}
      <Table
        data-testid="statements"
        size="small"
        rowKey="statementId"
        scroll={{ x: true }}
        locale={{ emptyText: t('noStatements') }}
        dataSource={statements}
        columns={[
          { title: t('statementId'), dataIndex: 'statementId' },
          {
            title: t('counterparty'),
            render: (_: unknown, s: Statement) =>
              me?.role === 'customer'
                ? s.factoryName
                : me?.role === 'factory'
                  ? s.customerName
                  : `${s.customerName} ↔ ${s.factoryName}`,
          },
          {
            title: t('period'),
            // [from, to): its last day is the one before `to`'s instant.
            render: (_: unknown, s: Statement) =>
              `${day(s.from)} — ${day(new Date(Date.parse(s.to) - 1).toISOString())}`,
          },
          {
            title: t('netCustomerPays'),
            render: (_: unknown, s: Statement) => <b>{yuan(s.figures.netAPaysB)}</b>,
          },
          {
            title: t('lines'),
            render: (_: unknown, s: Statement) => s.figures.settlementIds.length + s.figures.quotaIds.length,
          },
          {
            title: t('status'),
            render: (_: unknown, s: Statement) => (
              <Space orientation="vertical" size={0}>
                <Tag color={STATUS_COLOUR[s.status]}>{t(`statement${s.status}` as 'statementOPEN')}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('customerSide')} {s.customerSignature === null ? '—' : '✓'} · {t('factorySide')}{' '}
                  {s.factorySignature === null ? '—' : '✓'}
                </Typography.Text>
                {s.dispute !== null && <Typography.Text type="danger">{s.dispute.reason}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: '',
            render: (_: unknown, s: Statement) => {
              const side = mySide(s);
              const signed = side === 'customer' ? s.customerSignature : s.factorySignature;
              return (
                <Space wrap size={4}>
                  {s.status === 'OPEN' && side !== undefined && signed === null && (
                    <Popconfirm
                      title={t('acknowledgeStatementConfirm').replace('{{net}}', yuan(s.figures.netAPaysB))}
                      onConfirm={() => void acknowledge(s)}
                    >
                      <Button size="small" type="primary" loading={busy}>
                        {t('acknowledgeStatement')}
                      </Button>
                    </Popconfirm>
                  )}
                  {s.status === 'OPEN' && side !== undefined && (
                    <Button
                      size="small"
                      danger
                      onClick={() => {
                        setDisputing(s);
                      }}
                    >
                      {t('disputeStatement')}
                    </Button>
                  )}
                  <DocumentButtons
                    t={t}
                    testId={`statement-document-${s.statementId}`}
                    fetch={async (format) =>
                      (await api.query(STATEMENT_DOCUMENT, { id: s.statementId, format })).statementDocument
                    }
                  />
                </Space>
              );
            },
          },
        ]}
      />
      {showMore(found.data?.statements.pageInfo)}
      {disputing !== undefined && (
        <DisputeDialog
          t={t}
          statement={disputing}
          onClose={(changed) => {
            setDisputing(undefined);
            if (changed) found.reload();
          }}
        />
      )}
    </Space>
  );
}

/** Closing a period with the other side: whom, which days; the closer's signature goes on it. */
function CloseStatementForm({
  t,
  me,
  onClosed,
}: Pick<PageProps, 't'> & { me: StatementsQuery['me']; onClosed: () => void }) {
  const role = me.role;
  const api = useApi();
  const parties = useLiveQuery(COUNTERPARTIES, {});
  const nameOf = useOrganisationName();
  const { run, banner, busy } = useAction(t);
  const [counterparty, setCounterparty] = useState<string | undefined>();
  const [period, setPeriod] = useState<[string, string]>([
    new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
    today(),
  ]);
  // Made when the form opens: a second click of the same closing is answered, not repeated.
  const [statementId, setStatementId] = useState(newStatementId);
  const options = (parties.data?.statementCounterparties ?? []).map((p) => ({
    value: p.id,
    label: role === 'customer' ? p.name : `${p.name}（${nameOf(p.mspId)}）`,
  }));
  const close = async () => {
    if (counterparty === undefined) return;
    const request =
      role === 'customer'
        ? { factoryMspId: counterparty, customerMemberId: me.memberId }
        : { factoryMspId: me.mspId, customerMemberId: counterparty };
    if (
      await run(
        () =>
          api.write(CLOSE, {
            r: { statementId, ...request, from: `${period[0]}T00:00:00Z`, to: endOfDay(period[1]) },
          }),
        statementId,
      )
    ) {
      setStatementId(newStatementId());
      onClosed();
    }
  };
  return (
    <Card size="small" title={t('closeStatement')} data-testid="close-statement">
      {banner}
      <Space wrap>
        <Select
          aria-label={t('counterparty')}
          style={{ minWidth: 220 }}
          placeholder={role === 'customer' ? t('chooseFactory') : t('chooseCustomer')}
          options={options}
          value={counterparty}
          onChange={setCounterparty}
          notFoundContent={t('noCounterparties')}
        />
        <Input
          type="date"
          aria-label={t('periodFrom')}
          style={{ width: 150 }}
          value={period[0]}
          onChange={(e) => {
            setPeriod([e.target.value, period[1]]);
          }}
        />
        <Input
          type="date"
          aria-label={t('periodToInclusive')}
          style={{ width: 150 }}
          max={today()}
          value={period[1]}
          onChange={(e) => {
            setPeriod([period[0], e.target.value]);
          }}
        />
        <Popconfirm title={t('closeStatementConfirm')} onConfirm={() => void close()}>
          <Button type="primary" loading={busy} disabled={counterparty === undefined}>
            {t('closeAndSign')}
          </Button>
        </Popconfirm>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('closeStatementHint')}
      </Typography.Paragraph>
    </Card>
  );
}

/** Disputing an open statement: why, and which of its lines. */
function DisputeDialog({
  t,
  statement,
  onClose,
}: Pick<PageProps, 't'> & { statement: Statement; onClose: (changed: boolean) => void }) {
  const api = useApi();
  const { run, banner, busy } = useAction(t);
  const [reason, setReason] = useState('');
  const [lines, setLines] = useState<string[]>([]);
  const settlementIds = statement.figures.settlementIds;
  const quotaIds = statement.figures.quotaIds;
  const submit = async () => {
    if (
      await run(
        () =>
          api.write(DISPUTE, {
            r: {
              statementId: statement.statementId,
              reason: reason.trim(),
              settlementIds: lines.filter((l) => settlementIds.includes(l)),
              quotaIds: lines.filter((l) => quotaIds.includes(l)),
            },
          }),
        statement.statementId,
      )
    )
      onClose(true);
  };
  return (
    <Modal
      open
      title={`${t('disputeStatement')} ${statement.statementId}`}
      okText={t('disputeStatement')}
      okButtonProps={{ danger: true, loading: busy, disabled: reason.trim() === '' || lines.length === 0 }}
      onOk={() => void submit()}
      onCancel={() => {
        onClose(false);
      }}
    >
      {banner}
      <Input.TextArea
        aria-label={t('disputeReason')}
        placeholder={t('disputeReason')}
        rows={3}
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
        }}
      />
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 4 }}>
        {t('disputedLines')}
      </Typography.Paragraph>
      <Checkbox.Group
        style={{ display: 'flex', flexDirection: 'column' }}
        options={[...settlementIds, ...quotaIds].map((id) => ({ value: id, label: id }))}
        value={lines}
        onChange={setLines}
      />
    </Modal>
  );
}
