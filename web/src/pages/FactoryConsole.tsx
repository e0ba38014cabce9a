import { Button, Input, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { IncomingLotsQuery, LotsInProgressQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { shiftLabel, yuan } from '../session';
import { useAction } from '../useAction';
import { usePaging } from '../paging';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { AmendmentDesk } from './AmendmentDesk';
import { CapacityCalendar } from './CapacityCalendar';
import { CustodyDesk } from './CustodyDesk';
import { BidDesk } from './BidDesk';
import { QuotaDesk } from './QuotaDesk';
import { Settlements } from './Settlements';
import { Statements } from './Statements';
import { lotStatusLabel } from '../labels';

const INCOMING_LOTS = graphql(`
  query IncomingLots($first: Int!) {
    incomingLots(first: $first) {
      edges {
        node {
          id
          workOrderId
          factoryId
          status
          bucket
          fromSeq
          quantity
          unitPrice
          explanation {
            why {
              costPerUnit
              nextBest {
                factoryId
                bucket
                costPerUnit
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);
const ACCEPT_LOT = graphql(`
  mutation AcceptLot($r: AcceptLotInput!) {
    acceptLot(request: $r) {
      ...LedgerWrite
    }
  }
`);
const REJECT_LOT = graphql(`
  mutation RejectLot($r: RejectLotInput!) {
    rejectLot(request: $r) {
      ...LedgerWrite
    }
  }
`);
type Lot = IncomingLotsQuery['incomingLots']['edges'][number]['node'];

/** A factory's incoming work: the lots the matcher assigned to it, to accept or turn down. */
function IncomingLots({ t }: PageProps) {
  const api = useApi();
  const { first, showMore } = usePaging(t);
  const incoming = useLiveQuery(INCOMING_LOTS, { first }, POOL_CHANGES);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const { run, banner, busy } = useAction(t);
  const decide = async (lotId: string, accept: boolean) => {
    if (
      await run(
        () =>
          accept
            ? api.write(ACCEPT_LOT, { r: { lotId } })
            : api.write(REJECT_LOT, { r: { lotId, reason: reasons[lotId] ?? '产能不足 no capacity' } }),
        lotId,
      )
    )
      incoming.reload();
  };
  const mine = (incoming.data?.incomingLots.edges ?? []).map((e) => e.node);
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
            render: (_: unknown, l: Lot) => <Tag>{l.unitPrice === null ? '—' : yuan(l.unitPrice)}</Tag>,
          },
          {
            title: t('why'),
            render: (_: unknown, l: Lot) => {
              const why = l.explanation?.why;
              if (why == null) return null;
              return (
                <span data-testid="why">
                  {t('costPerUnit')} {(why.costPerUnit / 100).toFixed(2)} ¥
                  {why.nextBest == null
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
      {showMore(incoming.data?.incomingLots.pageInfo)}
    </>
  );
}

const LOTS_IN_PROGRESS = graphql(`
  query LotsInProgress($s: [String!], $first: Int!) {
    myLots(statuses: $s, first: $first) {
      edges {
        node {
          lotId
          workOrderId
          factoryId
          fromSeq
          toSeq
          bucket
          quantity
          status
          doneQuantity
          unitPrice
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);
type LotRecord = LotsInProgressQuery['myLots']['edges'][number]['node'];

const IN_PROGRESS = ['ACCEPTED', 'IN_PROGRESS', 'DONE', 'DELIVERED'];

/** The factory's lots from acceptance to delivery, by shift. */
function LotsInProgress({ t }: PageProps) {
  const { first, showMore } = usePaging(t);
  const lots = useLiveQuery(LOTS_IN_PROGRESS, { s: IN_PROGRESS, first }, POOL_CHANGES);
  return (
    <>
      <Table
        data-testid="lots-in-progress"
        size="small"
        rowKey="lotId"
        scroll={{ x: true }}
        dataSource={(lots.data?.myLots.edges ?? []).map((e) => e.node)}
        columns={[
          { title: t('lots'), dataIndex: 'lotId' },
          { title: t('workOrder'), dataIndex: 'workOrderId' },
          { title: t('factory'), dataIndex: 'factoryId' },
          { title: t('shift'), render: (_: unknown, l: LotRecord) => shiftLabel(l.bucket) },
          { title: t('seq'), render: (_: unknown, l: LotRecord) => `${l.fromSeq}–${l.toSeq}` },
          { title: t('quantity'), dataIndex: 'quantity' },
          { title: t('goodQuantity'), render: (_: unknown, l: LotRecord) => l.doneQuantity ?? '—' },
          {
            title: t('status'),
            render: (_: unknown, l: LotRecord) => <Tag>{lotStatusLabel(t, l.status)}</Tag>,
          },
        ]}
      />
      {showMore(lots.data?.myLots.pageInfo)}
    </>
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
          { key: 'amendments', label: t('amendmentsToAnswer'), children: <AmendmentDesk {...props} /> },
          { key: 'capacity', label: t('capacityCalendar'), children: <CapacityCalendar {...props} /> },
          { key: 'quotas', label: t('quotas'), children: <QuotaDesk {...props} /> },
          { key: 'bids', label: t('bids'), children: <BidDesk {...props} /> },
          { key: 'lots', label: t('lotsInProgress'), children: <LotsInProgress {...props} /> },
          { key: 'custody', label: t('handOvers'), children: <CustodyDesk {...props} /> },
          { key: 'settlements', label: t('settlements'), children: <Settlements {...props} /> },
          { key: 'statements', label: t('closedStatements'), children: <Statements {...props} /> },
        ]}
      />
    </>
  );
}
