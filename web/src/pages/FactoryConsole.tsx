import { Button, Input, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { write } from '../api';
import type { PageProps } from '../session';
import { shiftLabel, yuan } from '../session';
import { useAction } from '../useAction';
import { POOL_CHANGES, useQuery } from '../useQuery';
import type { MessageKey } from '../i18n';
import { CapacityCalendar } from './CapacityCalendar';
import { CustodyDesk } from './CustodyDesk';
import { BidDesk } from './BidDesk';
import { QuotaDesk } from './QuotaDesk';
import { Settlements } from './Settlements';

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
function IncomingLots({ t, session }: PageProps) {
  const incoming = useQuery<{ incomingLots: Lot[] }>(
    '{ incomingLots { id workOrderId factoryId status bucket fromSeq quantity unitPrice record explanation } }',
    {},
    session.token,
    POOL_CHANGES,
  );
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const { run, banner, busy } = useAction(t);
  const decide = async (lotId: string, accept: boolean) => {
    if (
      await run(
        () =>
          write(
            accept
              ? 'mutation($r: AcceptLotInput!) { acceptLot(request: $r) { receipt { transactionId } userErrors { code message field } } }'
              : 'mutation($r: RejectLotInput!) { rejectLot(request: $r) { receipt { transactionId } userErrors { code message field } } }',
            { r: accept ? { lotId } : { lotId, reason: reasons[lotId] ?? '产能不足 no capacity' } },
            session.token,
          ),
        lotId,
      )
    )
      incoming.reload();
  };
  const mine = incoming.data?.incomingLots ?? [];
  return (
    <>
      {banner}
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
            render: (_: unknown, l: Lot) => <Tag>{yuan(l.unitPrice)}</Tag>,
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
                <Button type="primary" size="small" loading={busy} onClick={() => void decide(l.id, true)}>
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

interface LotRecord {
  lotId: string;
  workOrderId: string;
  factoryId: string;
  fromSeq: number;
  toSeq: number;
  bucket: string;
  quantity: number;
  status: string;
  doneQuantity: number | null;
  unitPrice: number;
}

const IN_PROGRESS = ['ACCEPTED', 'IN_PROGRESS', 'DONE', 'DELIVERED'];

/** The factory's lots from acceptance to delivery, by shift. */
function LotsInProgress({ t, session }: PageProps) {
  const lots = useQuery<{ myLots: LotRecord[] }>(
    'query($s: [String!]) { myLots(statuses: $s) { lotId workOrderId factoryId fromSeq toSeq bucket quantity status doneQuantity unitPrice } }',
    { s: IN_PROGRESS },
    session.token,
    POOL_CHANGES,
  );
  return (
    <Table
      data-testid="lots-in-progress"
      size="small"
      rowKey="lotId"
      scroll={{ x: true }}
      dataSource={lots.data?.myLots ?? []}
      columns={[
        { title: t('lots'), dataIndex: 'lotId' },
        { title: t('workOrder'), dataIndex: 'workOrderId' },
        { title: t('factory'), dataIndex: 'factoryId' },
        { title: t('shift'), render: (_: unknown, l: LotRecord) => shiftLabel(l.bucket) },
        { title: t('seq'), render: (_: unknown, l: LotRecord) => `${l.fromSeq}–${l.toSeq}` },
        { title: t('quantity'), dataIndex: 'quantity' },
        { title: t('goodQuantity'), render: (_: unknown, l: LotRecord) => l.doneQuantity ?? '—' },
        { title: t('status'), render: (_: unknown, l: LotRecord) => <Tag>{t(l.status as MessageKey)}</Tag> },
      ]}
    />
  );
}

/** The factory's desk: incoming assignments, capacity by shift, quotas, lots in progress, custody, settlements. */
export default function FactoryConsole(props: PageProps) {
  const { t } = props;
  return (
    <>
      <Typography.Title level={3}>{t('navFactory')}</Typography.Title>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'incoming', label: t('incoming'), children: <IncomingLots {...props} /> },
          { key: 'capacity', label: t('capacityCalendar'), children: <CapacityCalendar {...props} /> },
          { key: 'quotas', label: t('quotas'), children: <QuotaDesk {...props} /> },
          { key: 'bids', label: t('bids'), children: <BidDesk {...props} /> },
          { key: 'lots', label: t('lotsInProgress'), children: <LotsInProgress {...props} /> },
          { key: 'custody', label: t('handOvers'), children: <CustodyDesk {...props} /> },
          { key: 'settlements', label: t('settlements'), children: <Settlements {...props} /> },
        ]}
      />
    </>
  );
}
