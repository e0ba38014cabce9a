import { Button, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { BiddableOrdersQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { shiftLabel, yuan } from '../session';
import { useAction } from '../useAction';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { useOwnFactories } from './CapacityCalendar';
import { YuanInput } from '../YuanInput';

type BiddableOrder = BiddableOrdersQuery['pool']['edges'][number]['node'];
interface Draft {
  factoryId?: string;
  unitPrice?: number;
  quantity?: number;
  finishHours?: number;
}

const BIDDABLE_ORDERS = graphql(`
  query BiddableOrders {
    pool(first: 200) {
      edges {
        node {
          id
          partNumber
          quantity
          dueBucket
          maxUnitPrice
          customerMspId
          bidWindowEnd
          routing {
            process
          }
          award {
            factoryId
            unitPrice
          }
          status
        }
      }
    }
  }
`);
const REVEALED_BIDS = graphql(`
  query RevealedBids($id: String!) {
    bids(workOrderId: $id) {
      factoryId
      unitPrice
      quantity
      finishBy
      status
    }
  }
`);
const SEAL_BID = graphql(`
  mutation SealBid($b: SealBidInput!) {
    sealBid(bid: $b) {
      ...LedgerWrite
    }
  }
`);
const OWN_SEALED_BID = graphql(`
  query OwnSealedBid($w: String!, $f: String!) {
    ownSealedBid(workOrderId: $w, factoryId: $f) {
      workOrderId
      factoryId
      unitPrice
      quantity
      finishBy
      salt
    }
  }
`);
const REVEAL_BID = graphql(`
  mutation RevealBid($r: RevealBidInput!) {
    revealBid(request: $r) {
      ...LedgerWrite
    }
  }
`);

/** Revealed bids on one work order, best first as the chaincode ranks them. */
export function RevealedBids({ workOrderId }: { workOrderId: string }) {
  const bids = useLiveQuery(REVEALED_BIDS, { id: workOrderId }, POOL_CHANGES);
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
export function BidDesk({ t }: PageProps) {
  const factories = useOwnFactories();
  const api = useApi();
  const orders = useLiveQuery(BIDDABLE_ORDERS, {}, POOL_CHANGES);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [shown, setShown] = useState(0);
  const { run, banner, busy } = useAction(t);
  const open = (orders.data?.pool.edges ?? [])
    .map((e) => e.node)
    .filter((o) => o.bidWindowEnd !== null && o.award === null && o.status === 'OPEN');
  // The plant proposed is one that runs every operation of the order, if the organisation has one.
  const capable = (o: BiddableOrder) =>
    factories.find((f) => o.routing.every((op) => f.processes.some((p) => p.process === op.process))) ??
    factories[0];
  const draftOf = (o: BiddableOrder): Required<Draft> => ({
    factoryId: capable(o)?.id ?? '',
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
        api.write(SEAL_BID, {
          b: {
            workOrderId: o.id,
            factoryId: d.factoryId,
            unitPrice: d.unitPrice,
            quantity: d.quantity,
            finishBy: new Date(Date.now() + d.finishHours * 3_600_000).toISOString(),
          },
        }),
      `${t('sealBid')} ${o.id}`,
    );
  };
  const reveal = async (o: BiddableOrder) => {
    const factoryId = draftOf(o).factoryId;
    const ok = await run(
      async () => {
        const { ownSealedBid: sealed } = await api.query(OWN_SEALED_BID, { w: o.id, f: factoryId });
        // The bid exactly as this organisation sealed it (salt included): the chaincode checks it
        // against the hash on the ledger.
        await api.write(REVEAL_BID, {
          r: {
            bid: {
              workOrderId: sealed.workOrderId,
              factoryId: sealed.factoryId,
              unitPrice: sealed.unitPrice,
              quantity: sealed.quantity,
              finishBy: sealed.finishBy,
              salt: sealed.salt,
            },
          },
        });
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
          expandedRowRender: (o) => <RevealedBids key={shown} workOrderId={o.id} />,
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
                      <YuanInput
                        size="small"
                        aria-label={`${t('bidUnitPrice')} ${o.id}`}
                        suffix={t('yuanPerUnit')}
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
