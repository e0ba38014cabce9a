import { Button, InputNumber, Progress, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { MyOrdersQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { shiftLabel, yuan } from '../session';
import { useAction } from '../useAction';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { RevealedBids } from './BidDesk';
import { AmendOrder } from './AmendOrder';
import { SupplyAlternatives } from './SupplyAlternatives';
import { CustodyDesk } from './CustodyDesk';
import { Settlements } from './Settlements';
import { Statements } from './Statements';
import { lotStatusLabel } from '../labels';

const MY_ORDERS = graphql(`
  query MyOrders {
    pool(first: 200, mine: true) {
      edges {
        node {
          id
          partNumber
          quantity
          dueBucket
          status
          priority
          customerMspId
          bidWindowEnd
          pendingAmendment
          materialsAwaitingChoice
          amendments {
            seq
            status
            requestedAt
            reason
            quantity {
              from
              to
            }
            dueBucket {
              from
              to
            }
            priority {
              from
              to
            }
            consentOf
            consents {
              mspId
              consent
              note
            }
          }
          award {
            factoryId
            unitPrice
          }
          lots {
            id
            factoryId
            bucket
            fromSeq
            toSeq
            quantity
            status
            record {
              doneQuantity
              deliveredQuantity
              acceptedQuantity
            }
          }
        }
      }
    }
  }
`);
const ACCEPT_DELIVERY = graphql(`
  mutation AcceptDelivery($r: AcceptDeliveryInput!) {
    acceptDelivery(request: $r) {
      ...LedgerWrite
    }
  }
`);
const AWARD_BID = graphql(`
  mutation AwardBid($r: AwardBidInput!) {
    awardBid(request: $r) {
      ...LedgerWrite
    }
  }
`);
type Order = MyOrdersQuery['pool']['edges'][number]['node'];
type OrderLot = Order['lots'][number];

const LIVE = new Set(['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'DONE', 'DELIVERED', 'SETTLED']);

/**
 * Where an order published for bidding stands, in words: taking bids, waiting for the customer's
 * award (the matcher takes it if nobody bid, or after a day), or awarded.
 */
function biddingState(t: PageProps['t'], o: Order): string {
  if (o.award !== null)
    return `${t('biddingAwarded')} ${o.award.factoryId}${o.award.unitPrice === null ? '' : ` · ${yuan(o.award.unitPrice)}`}`;
  if (o.bidWindowEnd !== null && Date.parse(o.bidWindowEnd) > Date.now())
    return `${t('biddingOpen')} ${shiftLabel(o.bidWindowEnd)}`;
  return t('biddingAwaitingAward');
}

/** Units of an order its lots finished (good units out of each lot's last operation). */
const finished = (o: Order) =>
  o.lots.filter((l) => LIVE.has(l.status)).reduce((sum, l) => sum + (l.record.doneQuantity ?? 0), 0);

/**
 * A customer's own work orders, each tracked under its one id across every factory holding a
 * lot of it: progress, deliveries to accept, bids to award.
 */
function MyOrders({ t }: PageProps) {
  const api = useApi();
  const found = useLiveQuery(MY_ORDERS, {}, POOL_CHANGES);
  const [accepted, setAccepted] = useState<Record<string, number>>({});
  const { run, banner, busy } = useAction(t);
  const orders = (found.data?.pool.edges ?? []).map((e) => e.node);
  const acceptDelivery = async (lot: OrderLot) => {
    if (
      await run(
        () =>
          api.write(ACCEPT_DELIVERY, {
            r: { lotId: lot.id, acceptedQuantity: accepted[lot.id] ?? lot.record.deliveredQuantity ?? 0 },
          }),
        `${t('acceptDelivery')} ${lot.id}`,
      )
    )
      found.reload();
  };
  const award = async (o: Order) => {
    if (await run(() => api.write(AWARD_BID, { r: { workOrderId: o.id } }), `${t('awardBid')} ${o.id}`))
      found.reload();
  };
  return (
    <>
      {banner}
      <Table
        data-testid="my-orders"
        size="small"
        rowKey="id"
        scroll={{ x: true }}
        dataSource={orders}
        expandable={{
          expandedRowRender: (o: Order) => (
            <>
              <SupplyAlternatives t={t} workOrderId={o.id} onChosen={found.reload} />
              <AmendOrder t={t} order={o} onChanged={found.reload} />
              {o.bidWindowEnd !== null && (
                <Space wrap style={{ marginBottom: 8 }}>
                  <Typography.Text data-testid={`bidding-${o.id}`}>{biddingState(t, o)}</Typography.Text>
                  <RevealedBids workOrderId={o.id} />
                  {o.award === null && Date.parse(o.bidWindowEnd) <= Date.now() && (
                    <Button loading={busy} size="small" onClick={() => void award(o)}>
                      {t('awardBid')}
                    </Button>
                  )}
                </Space>
              )}
              <Table
                data-testid={`lots-of-${o.id}`}
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={o.lots.filter((l) => LIVE.has(l.status))}
                columns={[
                  { title: t('lots'), dataIndex: 'id' },
                  { title: t('factory'), dataIndex: 'factoryId' },
                  { title: t('shift'), render: (_: unknown, l: OrderLot) => shiftLabel(l.bucket) },
                  { title: t('seq'), render: (_: unknown, l: OrderLot) => `${l.fromSeq}–${l.toSeq}` },
                  { title: t('quantity'), dataIndex: 'quantity' },
                  {
                    title: t('goodQuantity'),
                    render: (_: unknown, l: OrderLot) => l.record.doneQuantity ?? '—',
                  },
                  {
                    title: t('delivered'),
                    render: (_: unknown, l: OrderLot) => l.record.deliveredQuantity ?? '—',
                  },
                  {
                    title: t('status'),
                    render: (_: unknown, l: OrderLot) => <Tag>{lotStatusLabel(t, l.status)}</Tag>,
                  },
                  {
                    title: '',
                    render: (_: unknown, l: OrderLot) =>
                      l.status === 'DELIVERED' && l.record.acceptedQuantity === null ? (
                        <Space.Compact>
                          <InputNumber
                            size="small"
                            min={0}
                            max={l.record.deliveredQuantity ?? undefined}
                            aria-label={`${t('acceptedQuantity')} ${l.id}`}
                            value={accepted[l.id] ?? l.record.deliveredQuantity}
                            onChange={(v) => {
                              if (typeof v === 'number') setAccepted({ ...accepted, [l.id]: v });
                            }}
                          />
                          <Button
                            loading={busy}
                            size="small"
                            type="primary"
                            onClick={() => void acceptDelivery(l)}
                          >
                            {t('acceptDelivery')}
                          </Button>
                        </Space.Compact>
                      ) : null,
                  },
                ]}
              />
            </>
          ),
        }}
        columns={[
          { title: t('workOrder'), dataIndex: 'id' },
          { title: t('part'), dataIndex: 'partNumber' },
          { title: t('quantity'), dataIndex: 'quantity' },
          { title: t('due'), render: (_: unknown, o: Order) => shiftLabel(o.dueBucket) },
          {
            title: t('status'),
            render: (_: unknown, o: Order) => (
              <>
                <Tag>{t(o.status)}</Tag>
                {o.amendments.length > 0 && (
                  <Tag color={o.pendingAmendment === null ? 'default' : 'blue'}>
                    {t('amended')} {o.amendments.length}
                  </Tag>
                )}
                {o.materialsAwaitingChoice.length > 0 && (
                  <Tag color="orange" data-testid={`late-material-${o.id}`}>
                    {t('awaitingSupplyChoice')}
                  </Tag>
                )}
              </>
            ),
          },
          {
            title: t('factories'),
            render: (_: unknown, o: Order) =>
              [...new Set(o.lots.filter((l) => LIVE.has(l.status)).map((l) => l.factoryId))].join(', ') ||
              (o.award === null
                ? '—'
                : `${o.award.factoryId}${o.award.unitPrice === null ? '' : ` (${yuan(o.award.unitPrice)})`}`),
          },
          {
            title: t('progress'),
            render: (_: unknown, o: Order) => (
              <Progress
                size="small"
                style={{ width: 120 }}
                percent={Math.min(100, Math.round((finished(o) / o.quantity) * 100))}
              />
            ),
          },
        ]}
      />
    </>
  );
}

/** The customer's orders desk: its orders across factories, material and delivery hand-overs, settlements. */
export default function Orders(props: PageProps) {
  const { t } = props;
  return (
    <>
      <Typography.Title level={3}>{t('navOrders')}</Typography.Title>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'orders', label: t('myOrders'), children: <MyOrders {...props} /> },
          { key: 'custody', label: t('handOvers'), children: <CustodyDesk {...props} /> },
          { key: 'settlements', label: t('settlements'), children: <Settlements {...props} /> },
          { key: 'statements', label: t('closedStatements'), children: <Statements {...props} /> },
        ]}
      />
    </>
  );
}
