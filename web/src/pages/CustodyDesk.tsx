import { Button, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { CustodyQuery } from '../gql/graphql';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { useAction } from '../useAction';
import { usePaging } from '../paging';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';

const CUSTODY = graphql(`
  query Custody($first: Int!) {
    custody(first: $first) {
      edges {
        node {
          lotId
          workOrderId
          holderMspId
          quantity
          offer {
            toMspId
            quantity
            intoLotId
            offeredAt
          }
          handOvers
          lotStatus
          factoryMspId
          customerMspId
          lotQuantity
          doneQuantity
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    me {
      mspId
    }
  }
`);
const CONFIRM_HAND_OVER = graphql(`
  mutation ConfirmHandOver($r: ConfirmHandOverInput!) {
    confirmHandOver(request: $r) {
      ...LedgerWrite
    }
  }
`);
const OFFER_HAND_OVER = graphql(`
  mutation OfferHandOver($r: OfferHandOverInput!) {
    offerHandOver(request: $r) {
      ...LedgerWrite
    }
  }
`);
type CustodyRow = CustodyQuery['custody']['edges'][number]['node'];
interface Draft {
  toMspId?: string;
  quantity?: number;
  intoLotId?: string;
  note?: string;
}

/**
 * Where the next hand-over of a lot goes, or none: the customer's material to the factory that
 * accepted the lot; a finished lot from its factory back to the customer (its delivery).
 */
function nextHolder(row: CustodyRow): { toMspId: string; quantity: number } | undefined {
  if (row.holderMspId === row.customerMspId && ['ASSIGNED', 'ACCEPTED'].includes(row.lotStatus))
    return { toMspId: row.factoryMspId, quantity: row.lotQuantity };
  if (row.holderMspId === row.factoryMspId && row.lotStatus === 'DONE')
    return { toMspId: row.customerMspId, quantity: row.doneQuantity ?? row.quantity };
  return undefined;
}

/**
 * Custody hand-overs (交接): goods offered to the caller, to count and confirm; goods it holds
 * whose next holder is due, to offer on; and its offers still waiting on the other side.
 */
export function CustodyDesk({ t }: PageProps) {
  const api = useApi();
  const { first, showMore } = usePaging(t);
  const found = useLiveQuery(CUSTODY, { first }, POOL_CHANGES);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const { run, banner, busy } = useAction(t);
  const me = found.data?.me.mspId;
  const rows = (found.data?.custody.edges ?? []).map((e) => e.node);
  const toConfirm = rows.filter((r) => r.offer?.toMspId === me);
  const toSend = rows.filter((r) => r.holderMspId === me && r.offer === null && nextHolder(r) !== undefined);
  const waiting = rows.filter((r) => r.holderMspId === me && r.offer !== null);
  const draftOf = (lotId: string) => drafts[lotId] ?? {};
  const edit = (lotId: string, change: Draft) => {
    setDrafts({ ...drafts, [lotId]: { ...draftOf(lotId), ...change } });
  };
  const confirm = async (r: CustodyRow) => {
    const d = draftOf(r.lotId);
    const note = d.note?.trim();
    if (
      await run(
        () =>
          api.write(CONFIRM_HAND_OVER, {
            r: {
              lotId: r.lotId,
              receivedQuantity: d.quantity ?? r.offer?.quantity ?? 0,
              ...(note === undefined || note === '' ? {} : { note }),
            },
          }),
        `${t('confirmHandOver')} ${r.lotId}`,
      )
    )
      found.reload();
  };
  const offer = async (r: CustodyRow) => {
    const d = draftOf(r.lotId);
    const next = nextHolder(r);
    const intoLotId = d.intoLotId?.trim();
    if (
      await run(
        () =>
          api.write(OFFER_HAND_OVER, {
            r: {
              lotId: r.lotId,
              // Left empty, the chaincode's refusal names the field to fill.
              toMspId: d.toMspId ?? next?.toMspId ?? '',
              quantity: d.quantity ?? next?.quantity ?? 0,
              ...(intoLotId === undefined || intoLotId === '' ? {} : { intoLotId }),
            },
          }),
        `${t('offerHandOver')} ${r.lotId}`,
      )
    )
      found.reload();
  };
  const lotColumns = [
    { title: t('lots'), dataIndex: 'lotId' },
    { title: t('workOrder'), dataIndex: 'workOrderId' },
    {
      title: t('status'),
      render: (_: unknown, r: CustodyRow) => <Tag>{t(r.lotStatus as MessageKey)}</Tag>,
    },
  ];
  return (
    <>
      {banner}
      <Typography.Title level={5}>{t('handOversToConfirm')}</Typography.Title>
      <Table
        data-testid="hand-overs-to-confirm"
        size="small"
        rowKey="lotId"
        pagination={false}
        scroll={{ x: true }}
        dataSource={toConfirm}
        columns={[
          ...lotColumns,
          { title: t('from'), dataIndex: 'holderMspId' },
          { title: t('offeredQuantity'), render: (_: unknown, r: CustodyRow) => r.offer?.quantity },
          {
            title: '',
            render: (_: unknown, r: CustodyRow) => (
              <Space wrap>
                <InputNumber
                  size="small"
                  aria-label={`${t('receivedQuantity')} ${r.lotId}`}
                  min={0}
                  value={draftOf(r.lotId).quantity ?? r.offer?.quantity}
                  onChange={(v) => {
                    edit(r.lotId, { quantity: v ?? undefined });
                  }}
                />
                <Input
                  size="small"
                  style={{ width: 160 }}
                  placeholder={t('differenceNote')}
                  value={draftOf(r.lotId).note ?? ''}
                  onChange={(e) => {
                    edit(r.lotId, { note: e.target.value });
                  }}
                />
                <Button loading={busy} size="small" type="primary" onClick={() => void confirm(r)}>
                  {t('confirmHandOver')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('handOversToSend')}
      </Typography.Title>
      <Table
        data-testid="hand-overs-to-send"
        size="small"
        rowKey="lotId"
        pagination={false}
        scroll={{ x: true }}
        dataSource={toSend}
        columns={[
          ...lotColumns,
          { title: t('held'), dataIndex: 'quantity' },
          {
            title: '',
            render: (_: unknown, r: CustodyRow) => {
              const next = nextHolder(r);
              const d = draftOf(r.lotId);
              return (
                <Space wrap>
                  <Input
                    size="small"
                    style={{ width: 150 }}
                    aria-label={`${t('to')} ${r.lotId}`}
                    value={d.toMspId ?? next?.toMspId ?? ''}
                    onChange={(e) => {
                      edit(r.lotId, { toMspId: e.target.value });
                    }}
                  />
                  <InputNumber
                    size="small"
                    min={1}
                    aria-label={`${t('quantity')} ${r.lotId}`}
                    value={d.quantity ?? next?.quantity}
                    onChange={(v) => {
                      edit(r.lotId, { quantity: v ?? undefined });
                    }}
                  />
                  <Input
                    size="small"
                    style={{ width: 150 }}
                    placeholder={t('intoLot')}
                    value={d.intoLotId ?? ''}
                    onChange={(e) => {
                      edit(r.lotId, { intoLotId: e.target.value });
                    }}
                  />
                  <Button loading={busy} size="small" type="primary" onClick={() => void offer(r)}>
                    {t('offerHandOver')}
                  </Button>
                </Space>
              );
            },
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('handOversWaiting')}
      </Typography.Title>
      <Table
        data-testid="hand-overs-waiting"
        size="small"
        rowKey="lotId"
        pagination={false}
        scroll={{ x: true }}
        dataSource={waiting}
        columns={[
          ...lotColumns,
          { title: t('to'), render: (_: unknown, r: CustodyRow) => r.offer?.toMspId },
          { title: t('offeredQuantity'), render: (_: unknown, r: CustodyRow) => r.offer?.quantity },
          {
            title: t('offeredAt'),
            render: (_: unknown, r: CustodyRow) => r.offer?.offeredAt.slice(5, 16).replace('T', ' '),
          },
        ]}
      />
      {showMore(found.data?.custody.pageInfo)}
    </>
  );
}
