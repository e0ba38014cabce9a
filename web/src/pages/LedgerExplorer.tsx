import { Button, Card, Descriptions, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useOrganisations } from '../organisations';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { KeyHistoryQuery, LedgerBlocksQuery, SettlementStatementQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { yuan } from '../session';
import { useAction } from '../useAction';
import { useLiveQuery } from '../useLiveQuery';
import { Settlements } from './Settlements';
import { eventLabel, recordKindLabel } from '../labels';

const LEDGER_BLOCKS = graphql(`
  query LedgerBlocks($after: String, $n: Int!) {
    ledgerBlocks(after: $after, first: $n) {
      edges {
        node {
          blockNumber
          transactions {
            transactionId
            eventName
            actorMemberId
            at
            changes {
              kind
              id
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
const KEY_HISTORY = graphql(`
  query KeyHistory($k: String!, $i: String!) {
    keyHistory(kind: $k, id: $i) {
      txId
      at
      isDelete
      record
    }
  }
`);
const SETTLEMENT_STATEMENT = graphql(`
  query SettlementStatement($a: String!, $b: String!, $f: String!, $to: String!) {
    settlementStatement(mspA: $a, mspB: $b, from: $f, to: $to) {
      memberA
      memberB
      settlementIds
      owedByA
      owedByB
      netAPaysB
      outstandingByA
      outstandingByB
    }
  }
`);
type Version = KeyHistoryQuery['keyHistory'][number];

const KINDS = [
  'WorkOrder',
  'Lot',
  'Custody',
  'HandOver',
  'OperationProgress',
  'Settlement',
  'CapacityQuota',
  'Capacity',
  'Factory',
  'Bid',
];
const PAGE = 20;
type Transaction = LedgerBlocksQuery['ledgerBlocks']['edges'][number]['node']['transactions'][number];
const when = (at: string | null) => (at ?? '').slice(5, 19).replace('T', ' ');

/**
 * The ledger explorer: blocks newest first with each transaction's event, actor and the records it
 * changed; a click on a record (or a kind and id typed in) shows its every committed version.
 */
export function LedgerExplorer({ t }: PageProps) {
  const api = useApi();
  // The cursor the page starts after: none for the newest blocks.
  const [after, setAfter] = useState<string | null>(null);
  const blocks = useLiveQuery(LEDGER_BLOCKS, { after, n: PAGE });
  const [kind, setKind] = useState('Lot');
  const [id, setId] = useState('');
  const [history, setHistory] = useState<{ kind: string; id: string; versions: Version[] } | undefined>();
  const { run, banner } = useAction(t);
  const showHistory = async (k: string, key: string) => {
    setKind(k);
    setId(key);
    await run(async () => {
      const d = await api.query(KEY_HISTORY, { k, i: key });
      setHistory({ kind: k, id: key, versions: d.keyHistory });
    }, `${k} ${key}`);
  };
  const list = (blocks.data?.ledgerBlocks.edges ?? []).map((e) => e.node);
  const rows = list.flatMap((b) => b.transactions.map((tx) => ({ ...tx, blockNumber: b.blockNumber })));
  const older = blocks.data?.ledgerBlocks.pageInfo;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {banner}
      <Card title={t('keyHistory')}>
        <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
          <Select
            aria-label={t('recordKind')}
            style={{ width: 170 }}
            value={kind}
            options={KINDS.map((k) => ({ value: k, label: recordKindLabel(t, k) }))}
            onChange={setKind}
          />
          <Input
            aria-label={t('recordId')}
            value={id}
            placeholder="LOT-… / WO-…"
            onChange={(e) => {
              setId(e.target.value);
            }}
          />
          <Button onClick={() => void showHistory(kind, id.trim())}>{t('show')}</Button>
        </Space.Compact>
        {history !== undefined && (
          <Table
            data-testid="key-history"
            style={{ marginTop: 12 }}
            size="small"
            rowKey="txId"
            pagination={false}
            scroll={{ x: true }}
            dataSource={history.versions}
            columns={[
              { title: t('at'), render: (_: unknown, v: Version) => when(v.at) },
              {
                title: 'tx',
                render: (_: unknown, v: Version) => (
                  <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                    {v.txId.slice(0, 12)}
                  </Typography.Text>
                ),
              },
              {
                title: t('status'),
                render: (_: unknown, v: Version) =>
                  v.isDelete ? (
                    <Tag color="red">DELETED</Tag>
                  ) : (
                    <Tag>{(v.record as { status?: string } | null)?.status ?? '—'}</Tag>
                  ),
              },
              {
                title: t('record'),
                render: (_: unknown, v: Version) => (
                  <Typography.Text
                    style={{ fontSize: 12, fontFamily: 'monospace' }}
                    ellipsis={{ tooltip: JSON.stringify(v.record, null, 1) }}
                  >
                    {JSON.stringify(v.record)}
                  </Typography.Text>
                ),
              },
            ]}
          />
        )}
      </Card>
      <Card
        title={t('blocks')}
        extra={
          <Space>
            <Button
              size="small"
              disabled={after === null}
              onClick={() => {
                setAfter(null);
              }}
            >
              {t('newest')}
            </Button>
            <Button
              size="small"
              disabled={older?.hasNextPage !== true}
              onClick={() => {
                setAfter(older?.endCursor ?? null);
              }}
            >
              {t('older')}
            </Button>
          </Space>
        }
      >
        <Table
          data-testid="ledger-blocks"
          size="small"
          rowKey="transactionId"
          pagination={false}
          scroll={{ x: true }}
          dataSource={rows}
          columns={[
            { title: t('block'), dataIndex: 'blockNumber' },
            { title: t('at'), render: (_: unknown, tx: Transaction) => when(tx.at) },
            {
              title: t('event'),
              render: (_: unknown, tx: Transaction) => (
                <span title={tx.eventName}>{eventLabel(t, tx.eventName)}</span>
              ),
            },
            {
              title: t('actor'),
              render: (_: unknown, tx: Transaction) => (
                <Typography.Text title={tx.actorMemberId ?? ''}>
                  {(tx.actorMemberId ?? '').slice(0, 10)}…
                </Typography.Text>
              ),
            },
            {
              title: 'tx',
              render: (_: unknown, tx: Transaction) => (
                <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                  {tx.transactionId.slice(0, 12)}
                </Typography.Text>
              ),
            },
            {
              title: t('records'),
              render: (_: unknown, tx: Transaction) => (
                <Space wrap size={4}>
                  {tx.changes.slice(0, 6).map((c) => (
                    <Tag
                      key={`${c.kind}${c.id}`}
                      style={{ cursor: 'pointer' }}
                      onClick={() => void showHistory(c.kind, c.id)}
                    >
                      {recordKindLabel(t, c.kind)} {c.id}
                    </Tag>
                  ))}
                  {tx.changes.length > 6 && <Tag>+{tx.changes.length - 6}</Tag>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

type Statement = SettlementStatementQuery['settlementStatement'];

/** Settlement statements: every settlement, and the netted statement between two organisations over a period. */
export function SettlementStatements(props: PageProps) {
  const { t } = props;
  const api = useApi();
  const organisations = useOrganisations();
  const choices = organisations.list.map((o) => ({ value: o.mspId, label: o.name }));
  const [pair, setPair] = useState({ a: 'CustomerAMSP', b: 'FactoryAMSP' });
  const [period, setPeriod] = useState<[string, string]>([
    new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
    new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
  ]);
  const [statement, setStatement] = useState<Statement | undefined>();
  const { run, banner } = useAction(t);
  const compute = () =>
    run(
      async () => {
        const d = await api.query(SETTLEMENT_STATEMENT, {
          a: pair.a,
          b: pair.b,
          f: `${period[0]}T00:00:00Z`,
          to: `${period[1]}T00:00:00Z`,
        });
        setStatement(d.settlementStatement);
      },
      `${organisations.nameOf(pair.a)} ↔ ${organisations.nameOf(pair.b)}`,
    );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {banner}
      <Card title={t('statement')}>
        <Space wrap>
          <Select
            aria-label={t('orgA')}
            style={{ width: 200 }}
            value={pair.a}
            options={choices}
            onChange={(a: string) => {
              setPair({ ...pair, a });
            }}
          />
          <Select
            aria-label={t('orgB')}
            style={{ width: 200 }}
            value={pair.b}
            options={choices}
            onChange={(b: string) => {
              setPair({ ...pair, b });
            }}
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
            aria-label={t('periodTo')}
            style={{ width: 150 }}
            value={period[1]}
            onChange={(e) => {
              setPeriod([period[0], e.target.value]);
            }}
          />
          <Button type="primary" onClick={() => void compute()}>
            {t('computeStatement')}
          </Button>
        </Space>
        {statement !== undefined && (
          <Descriptions
            data-testid="statement"
            style={{ marginTop: 12 }}
            size="small"
            bordered
            column={{ xs: 1, md: 3 }}
          >
            <Descriptions.Item label={`${t('owedBy')} ${statement.memberA}`}>
              {yuan(statement.owedByA)}
            </Descriptions.Item>
            <Descriptions.Item label={`${t('owedBy')} ${statement.memberB}`}>
              {yuan(statement.owedByB)}
            </Descriptions.Item>
            <Descriptions.Item label={t('net')}>
              {statement.netAPaysB >= 0
                ? `${statement.memberA} → ${statement.memberB} ${yuan(statement.netAPaysB)}`
                : `${statement.memberB} → ${statement.memberA} ${yuan(-statement.netAPaysB)}`}
            </Descriptions.Item>
            <Descriptions.Item label={`${t('outstanding')} ${statement.memberA}`}>
              {yuan(statement.outstandingByA)}
            </Descriptions.Item>
            <Descriptions.Item label={`${t('outstanding')} ${statement.memberB}`}>
              {yuan(statement.outstandingByB)}
            </Descriptions.Item>
            <Descriptions.Item label={t('settlements')}>{statement.settlementIds.length}</Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Settlements {...props} />
    </Space>
  );
}
