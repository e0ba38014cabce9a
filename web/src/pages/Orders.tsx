import { Button, InputNumber, Progress, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { write } from '../api';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { shiftLabel, yuan } from '../session';
import { useAction } from '../useAction';
import { POOL_CHANGES, useQuery } from '../useQuery';
import { RevealedBids } from './BidDesk';
import { CustodyDesk } from './CustodyDesk';
import { Settlements } from './Settlements';

interface OrderLot {
  id: string;
  factoryId: string;
  bucket: string;
  fromSeq: number;
  toSeq: number;
  quantity: number;
  status: string;
  record: { doneQuantity?: number; deliveredQuantity?: number; acceptedQuantity?: number };
}
interface Order {
  id: string;
  partNumber: string;
  quantity: number;
  dueBucket: string;
  status: string;
  priority: string;
  customerMspId: string;
  bidWindowEnd: string | null;
  award: { factoryId: string; unitPrice: number | null } | null;
  lots: OrderLot[];
}

const LIVE = new Set(['ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'DONE', 'DELIVERED', 'SETTLED']);

/** Units of an order its lots finished (good units out of each lot's last operation). */
const finished = (o: Order) =>
  o.lots.filter((l) => LIVE.has(l.status)).reduce((sum, l) => sum + (l.record.doneQuantity ?? 0), 0);

/**
 * A customer's own work orders, each tracked under its one id across every factory holding a
 * lot of it: progress, deliveries to accept, bids to award.
 */
function MyOrders({ t, session }: PageProps) {
  const found = useQuery<{ pool: { edges: { node: Order }[] } }>(
    `{ pool(first: 200, mine: true) { edges { node { id partNumber quantity dueBucket status priority customerMspId bidWindowEnd award { factoryId unitPrice }
        lots { id factoryId bucket fromSeq toSeq quantity status record } } } } }`,
    {},
    session.token,
    POOL_CHANGES,
  );
  const [accepted, setAccepted] = useState<Record<string, number>>({});
  const { run, banner, busy } = useAction(t);
  const orders = (found.data?.pool.edges ?? []).map((e) => e.node);
  const acceptDelivery = async (lot: OrderLot) => {
    if (
      await run(
        () =>
          write(
            'mutation($r: AcceptDeliveryInput!) { acceptDelivery(request: $r) { receipt { transactionId } userErrors { code message field } } }',
            { r: { lotId: lot.id, acceptedQuantity: accepted[lot.id] ?? lot.record.deliveredQuantity ?? 0 } },
            session.token,
          ),
        `${t('acceptDelivery')} ${lot.id}`,
      )
    )
      found.reload();
  };
  const award = async (o: Order) => {
    if (
      await run(
        () =>
          write(
            'mutation($r: AwardBidInput!) { awardBid(request: $r) { receipt { transactionId } userErrors { code message field } } }',
            { r: { workOrderId: o.id } },
            session.token,
          ),
        `${t('awardBid')} ${o.id}`,
      )
    )
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
              {o.bidWindowEnd !== null && (
                <Space wrap style={{ marginBottom: 8 }}>
                  <RevealedBids workOrderId={o.id} token={session.token} />
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
                    render: (_: unknown, l: OrderLot) => <Tag>{t(l.status as MessageKey)}</Tag>,
                  },
                  {
                    title: '',
                    render: (_: unknown, l: OrderLot) =>
                      l.status === 'DELIVERED' && l.record.acceptedQuantity === undefined ? (
                        <Space.Compact>
                          <InputNumber
                            size="small"
                            min={0}
                            max={l.record.deliveredQuantity}
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
          { title: t('status'), render: (_: unknown, o: Order) => <Tag>{t(o.status as MessageKey)}</Tag> },
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
        ]}
      />
    </>
  );
}
