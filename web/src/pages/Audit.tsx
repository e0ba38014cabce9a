import { explainError } from '../i18n';
import { Alert, Button, Card, Input, Space, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, useApi } from '../api';
import { graphql } from '../gql';
import type { TraceQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { LedgerExplorer, SettlementStatements } from './LedgerExplorer';
import { Statements } from './Statements';
import { MatchingReplay } from './MatchingReplay';

type Step = TraceQuery['trace']['steps'][number];

const VERIFY_LEDGER = graphql(`
  query VerifyLedger {
    verifyLedger {
      ok
      height
      brokenBlock
      reason
      checkedFrom
      signaturesChecked
    }
  }
`);
const TRACE = graphql(`
  query Trace($id: String!) {
    trace(workOrderId: $id) {
      steps {
        kind
        id
        txId
        at
      }
    }
  }
`);

/** Re-verify the chain, and trace one work order through every ledger step. */
function VerifyAndTrace({ t }: PageProps) {
  const api = useApi();
  const [verdict, setVerdict] = useState<
    | {
        ok: boolean;
        height: number;
        brokenBlock: number | null;
        reason: string | null;
        checkedFrom: number;
        signaturesChecked: number;
      }
    | undefined
  >();
  const [trace, setTrace] = useState<Step[] | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [verifying, setVerifying] = useState(false);
  const [workOrderId, setWorkOrderId] = useState('');
  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      setFailure(undefined);
      return await work();
    } catch (e) {
      setFailure(e instanceof ApiError ? explainError(t, e.code, e.message) : String(e));
      return undefined;
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {failure !== undefined && <Alert type="error" title={`${t('actionFailed')}${failure}`} />}
      <Card title={t('verify')}>
        <Button
          type="primary"
          loading={verifying}
          onClick={() =>
            void run(async () => {
              setVerifying(true);
              const d = await api.query(VERIFY_LEDGER, {});
              setVerdict(d.verifyLedger);
            }).finally(() => {
              setVerifying(false);
            })
          }
        >
          {t('verify')}
        </Button>
        {verdict !== undefined && (
          <Alert
            data-testid="verify-result"
            style={{ marginTop: 12 }}
            type={verdict.ok ? 'success' : 'error'}
            title={
              verdict.ok
                ? `${t('verified')} ${verdict.height}`
                : `${t('broken')} ${verdict.brokenBlock ?? '?'}`
            }
            description={
              <>
                {t('verifyScope')
                  .replace('{{from}}', String(verdict.checkedFrom))
                  .replace('{{to}}', String(verdict.height - 1))
                  .replace('{{signatures}}', String(verdict.signaturesChecked))}
                {verdict.reason !== null && (
                  <div>
                    <Typography.Text code>{verdict.reason}</Typography.Text>
                  </div>
                )}
              </>
            }
          />
        )}
      </Card>
      <Card title={t('trace')}>
        <Space.Compact style={{ width: '100%', maxWidth: 480 }}>
          <Input
            value={workOrderId}
            onChange={(e) => {
              setWorkOrderId(e.target.value);
            }}
            placeholder="WO-…"
          />
          <Button
            onClick={() =>
              void run(async () => {
                const d = await api.query(TRACE, { id: workOrderId.trim() });
                setTrace(d.trace.steps);
              })
            }
          >
            {t('show')}
          </Button>
        </Space.Compact>
        {trace !== undefined && (
          <Table
            data-testid="trace"
            style={{ marginTop: 12 }}
            size="small"
            rowKey={(s) => `${s.kind}${s.id}${s.txId}`}
            pagination={false}
            scroll={{ x: true }}
            dataSource={trace}
            columns={[
              { title: 'at', render: (_: unknown, s: Step) => s.at.slice(5, 19).replace('T', ' ') },
              { title: 'kind', dataIndex: 'kind' },
              { title: 'id', dataIndex: 'id' },
              {
                title: 'tx',
                render: (_: unknown, s: Step) => (
                  <Typography.Text code>{s.txId.slice(0, 12)}</Typography.Text>
                ),
              },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}

/** The auditor's desk: verification and traces, the ledger explorer, settlement statements. */
export default function Audit(props: PageProps) {
  const { t } = props;
  return (
    <Tabs
      destroyOnHidden
      items={[
        { key: 'verify', label: t('verifyAndTrace'), children: <VerifyAndTrace {...props} /> },
        { key: 'explorer', label: t('explorer'), children: <LedgerExplorer {...props} /> },
        {
          key: 'statements',
          label: t('statements'),
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Statements {...props} />
              <SettlementStatements {...props} />
            </Space>
          ),
        },
        { key: 'replay', label: t('replayTab'), children: <MatchingReplay {...props} /> },
      ]}
    />
  );
}
