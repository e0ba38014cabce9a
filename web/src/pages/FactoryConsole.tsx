import { Alert, Button, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, gql } from '../api';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { useQuery } from '../useQuery';

interface Lot {
  id: string;
  workOrderId: string;
  factoryId: string;
  status: string;
  bucket: string;
  fromSeq: number;
  quantity: number;
  unitPrice: number;
  record: { factoryMspId: string; acceptBy: string };
  explanation: {
    why?: { costPerUnit: number; nextBest?: { factoryId: string; bucket: string; costPerUnit: number } };
  } | null;
}

/** A factory's incoming work: the lots the matcher assigned to it, to accept or turn down. */
export default function FactoryConsole({ t, session }: PageProps) {
  const pool = useQuery<{ pool: { edges: { node: { lots: Lot[] } }[] } }>(
    '{ pool(first: 200, status: "OPEN") { edges { node { lots { id workOrderId factoryId status bucket fromSeq quantity unitPrice record explanation } } } } }',
    {},
    session.token,
  );
  const me = useQuery<{ me: { mspId: string } }>('{ me { mspId } }', {}, session.token);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | undefined>();
  const decide = async (lotId: string, accept: boolean) => {
    try {
      await gql(
        accept
          ? 'mutation($r: JSON!) { acceptLot(request: $r) { transactionId } }'
          : 'mutation($r: JSON!) { rejectLot(request: $r) { transactionId } }',
        { r: accept ? { lotId } : { lotId, reason: reasons[lotId] ?? '产能不足 no capacity' } },
        session.token,
      );
      setMessage(`${t('done')}: ${lotId}`);
      pool.reload();
    } catch (e) {
      setMessage(`${t('actionFailed')}${e instanceof ApiError ? `${e.code}: ${e.message}` : String(e)}`);
    }
  };
  const mine = (pool.data?.pool.edges ?? [])
    .flatMap((e) => e.node.lots)
    .filter((l) => l.status === 'ASSIGNED' && l.record.factoryMspId === me.data?.me.mspId);
  return (
    <>
      <Typography.Title level={3}>{t('incoming')}</Typography.Title>
      {message !== undefined && <Alert style={{ marginBottom: 12 }} type="info" title={message} />}
      <Table
        data-testid="incoming-lots"
        size="small"
        rowKey="id"
        pagination={{ pageSize: 20 }}
        scroll={{ x: true }}
        dataSource={mine}
        columns={[
          { title: t('lots'), dataIndex: 'id' },
          { title: t('workOrder'), dataIndex: 'workOrderId' },
          { title: t('factory'), dataIndex: 'factoryId' },
          { title: t('shift'), render: (_: unknown, l: Lot) => shiftLabel(l.bucket) },
          { title: t('seq'), dataIndex: 'fromSeq' },
          { title: t('quantity'), dataIndex: 'quantity' },
          {
            title: t('price'),
            render: (_: unknown, l: Lot) => <Tag>{(l.unitPrice / 100).toFixed(2)} ¥</Tag>,
          },
          {
            title: t('why'),
            render: (_: unknown, l: Lot) => {
              const why = l.explanation?.why;
              if (why === undefined) return null;
              return (
                <span data-testid="why">
                  {t('costPerUnit')} {(why.costPerUnit / 100).toFixed(2)} ¥
                  {why.nextBest === undefined
                    ? ''
                    : ` · ${t('nextBest')} ${why.nextBest.factoryId} ${shiftLabel(why.nextBest.bucket)} ${(why.nextBest.costPerUnit / 100).toFixed(2)} ¥`}
                </span>
              );
            },
          },
          {
            title: '',
            render: (_: unknown, l: Lot) => (
              <Space wrap>
                <Button type="primary" size="small" onClick={() => void decide(l.id, true)}>
                  {t('accept')}
                </Button>
                <Input
                  size="small"
                  style={{ width: 140 }}
                  placeholder={t('rejectReason')}
                  value={reasons[l.id] ?? ''}
                  onChange={(e) => {
                    setReasons({ ...reasons, [l.id]: e.target.value });
                  }}
                />
                <Button danger size="small" onClick={() => void decide(l.id, false)}>
                  {t('reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
