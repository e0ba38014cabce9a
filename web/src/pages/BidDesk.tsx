import { Button, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { gql, write } from '../api';
import type { PageProps } from '../session';
import { shiftLabel, yuan } from '../session';
import { useAction } from '../useAction';
import { POOL_CHANGES, useQuery } from '../useQuery';
import { useOwnFactories } from './CapacityCalendar';

export interface BiddableOrder {
  id: string;
  partNumber: string;
  quantity: number;
  dueBucket: string;
  maxUnitPrice: number;
  customerMspId: string;
  bidWindowEnd: string | null;
  award: { factoryId: string; unitPrice: number | null } | null;
}
export interface RevealedBid {
  factoryId: string;
  unitPrice: number;
  quantity: number;
  finishBy: string;
  status: string;
}
interface Draft {
  factoryId?: string;
  unitPrice?: number;
  quantity?: number;
  finishHours?: number;
}

export const BIDDABLE_QUERY =
  '{ pool(first: 200) { edges { node { id partNumber quantity dueBucket maxUnitPrice customerMspId bidWindowEnd award { factoryId unitPrice } status } } } }';

/** Revealed bids on one work order, best first as the chaincode ranks them. */
export function RevealedBids({ workOrderId, token }: { workOrderId: string; token: string }) {
  const bids = useQuery<{ bids: RevealedBid[] }>(
    'query($id: String!) { bids(workOrderId: $id) { factoryId unitPrice quantity finishBy status } }',
    { id: workOrderId },
    token,
  );
  return (
    <Space wrap data-testid={`bids-${workOrderId}`}>
      {(bids.data?.bids ?? []).map((b) => (
        <Tag key={b.factoryId} color={b.status === 'AWARDED' ? 'green' : 'default'}>
          {b.factoryId} · {yuan(b.unitPrice)} × {b.quantity} · {b.finishBy.slice(5, 16).replace('T', ' ')} ·{' '}
          {b.status}
        </Tag>
      ))}
    </Space>
  );
}

/**
 * Sealed bids (竞价): during a work order's window a factory seals its price, quantity and finish
 * time (the channel sees only a hash); after it, the factory reveals the bid it sealed.
 */
export function BidDesk({ t, session }: PageProps) {
  const factories = useOwnFactories(session.token);
  const orders = useQuery<{ pool: { edges: { node: BiddableOrder & { status: string } }[] } }>(
    BIDDABLE_QUERY,
    {},
    session.token,
    POOL_CHANGES,
  );
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [shown, setShown] = useState(0);
  const { run, banner, busy } = useAction(t);
  const open = (orders.data?.pool.edges ?? [])
    .map((e) => e.node)
    .filter((o) => o.bidWindowEnd !== null && o.award === null && o.status === 'OPEN');
  const draftOf = (o: BiddableOrder): Required<Draft> => ({
    factoryId: factories[0]?.id ?? '',
    unitPrice: o.maxUnitPrice,
    quantity: o.quantity,
    finishHours: 48,
    ...drafts[o.id],
  });
  const edit = (id: string, change: Draft) => {
    setDrafts({ ...drafts, [id]: { ...drafts[id], ...change } });
  };
  const seal = async (o: BiddableOrder) => {
    const d = draftOf(o);
    await run(
      () =>
        write(
          'mutation($b: SealBidInput!) { sealBid(bid: $b) { receipt { transactionId } userErrors { code message field } } }',
          {
            b: {
              workOrderId: o.id,
              factoryId: d.factoryId,
              unitPrice: d.unitPrice,
              quantity: d.quantity,
              finishBy: new Date(Date.now() + d.finishHours * 3_600_000).toISOString(),
            },
          },
          session.token,
        ),
      `${t('sealBid')} ${o.id}`,
    );
  };
  const reveal = async (o: BiddableOrder) => {
    const factoryId = draftOf(o).factoryId;
    const ok = await run(
      async () => {
        const own = await gql<{ ownSealedBid: unknown }>(
          'query($w: String!, $f: String!) { ownSealedBid(workOrderId: $w, factoryId: $f) }',
          { w: o.id, f: factoryId },
          session.token,
        );
        await write(
          'mutation($r: RevealBidInput!) { revealBid(request: $r) { receipt { transactionId } userErrors { code message field } } }',
          { r: { bid: own.ownSealedBid } },
          session.token,
        );
      },
      `${t('revealBid')} ${o.id}`,
    );
    if (ok) setShown((n) => n + 1);
  };
  return (
    <>
      {banner}
      <Table
        data-testid="bid-orders"
        size="small"
        rowKey="id"
        scroll={{ x: true }}
        dataSource={open}
        expandable={{
          rowExpandable: (o) => o.bidWindowEnd !== null && Date.parse(o.bidWindowEnd) <= Date.now(),
          expandedRowRender: (o) => <RevealedBids key={shown} workOrderId={o.id} token={session.token} />,
        }}
        columns={[
          { title: t('workOrder'), dataIndex: 'id' },
          { title: t('part'), dataIndex: 'partNumber' },
          { title: t('quantity'), dataIndex: 'quantity' },
          { title: t('due'), render: (_: unknown, o: BiddableOrder) => shiftLabel(o.dueBucket) },
          { title: t('maxUnitPrice'), render: (_: unknown, o: BiddableOrder) => yuan(o.maxUnitPrice) },
          {
            title: t('bidWindowEnd'),
            render: (_: unknown, o: BiddableOrder) => (o.bidWindowEnd ?? '').slice(5, 16).replace('T', ' '),
          },
          {
            title: '',
            render: (_: unknown, o: BiddableOrder) => {
              const d = draftOf(o);
              const windowOpen = Date.parse(o.bidWindowEnd ?? '') > Date.now();
              return (
                <Space wrap>
                  <Select
                    size="small"
                    style={{ width: 130 }}
                    value={d.factoryId}
                    options={factories.map((f) => ({ value: f.id, label: f.id }))}
                    onChange={(v: string) => {
                      edit(o.id, { factoryId: v });
                    }}
                  />
                  {windowOpen ? (
                    <>
                      <InputNumber
                        size="small"
                        aria-label={`${t('bidUnitPrice')} ${o.id}`}
                        suffix={t('fenPerUnit')}
                        min={0}
                        value={d.unitPrice}
                        onChange={(v) => {
                          edit(o.id, { unitPrice: v ?? undefined });
                        }}
                      />
                      <InputNumber
                        size="small"
                        aria-label={`${t('quantity')} ${o.id}`}
                        min={1}
                        value={d.quantity}
                        onChange={(v) => {
                          edit(o.id, { quantity: v ?? undefined });
                        }}
                      />
                      <InputNumber
                        size="small"
                        aria-label={`${t('finishInHours')} ${o.id}`}
                        suffix="h"
                        min={1}
                        value={d.finishHours}
                        onChange={(v) => {
                          edit(o.id, { finishHours: v ?? undefined });
                        }}
                      />
                      <Button loading={busy} size="small" type="primary" onClick={() => void seal(o)}>
                        {t('sealBid')}
                      </Button>
                    </>
                  ) : (
                    <Button loading={busy} size="small" onClick={() => void reveal(o)}>
                      {t('revealBid')}
                    </Button>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('bidHelp')}
      </Typography.Paragraph>
    </>
  );
}
