import { Button, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { CustodyQuery } from '../gql/graphql';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { useAction } from '../useAction';
import { usePaging } from '../paging';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { useOrganisationName } from '../organisations';

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
          lastOperation
          nextLots {
            lotId
            factoryId
            factoryMspId
            room
          }
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
const HAND_OVER_WITHIN = graphql(`
  mutation HandOverWithin($r: HandOverWithinInput!) {
    handOverWithin(request: $r) {
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
  destination?: string;
  quantity?: number;
  note?: string;
}

/** Where a lot's goods may go next, as the holder chooses it. */
export interface Destination {
  key: string;
  toMspId: string;
  /** Units proposed: all that is held, or what the downstream lot still takes. */
  quantity: number;
  /** The downstream lot fed, for goods between operations. */
  intoLotId?: string;
  /** Fed within the holder's own organisation: one step, nobody else confirms. */
  within: boolean;
  label: string;
}

/**
 * The hand-overs the holder may make next: the customer's material to the factory that accepted
 * the lot; a finished lot's good units into the next operation's lots (its own, in one step, or
 * another organisation's, which counts them), or, after the routing's last operation, back to the
 * customer (its delivery).
 */
export function destinationsOf(
  row: CustodyRow,
  t: (key: MessageKey) => string,
  nameOf: (mspId: string) => string = (mspId) => mspId,
): Destination[] {
  if (row.holderMspId === row.customerMspId && ['ASSIGNED', 'ACCEPTED'].includes(row.lotStatus))
    return [
      {
        key: 'factory',
        toMspId: row.factoryMspId,
        quantity: row.quantity,
        within: false,
        label: `${t('sendMaterialTo')} ${nameOf(row.factoryMspId)}`,
      },
    ];
  if (row.holderMspId !== row.factoryMspId || row.lotStatus !== 'DONE' || row.quantity === 0) return [];
  const fed = row.nextLots
    .filter((n) => n.room > 0)
    .map((n) => {
      const within = n.factoryMspId === row.holderMspId;
      return {
        key: n.lotId,
        toMspId: n.factoryMspId,
        quantity: Math.min(row.quantity, n.room),
        intoLotId: n.lotId,
        within,
        label: `${t(within ? 'feedOwnLot' : 'feedOtherLot')} ${n.lotId} · ${n.factoryId} · ${t('roomLeft')} ${n.room}`,
      };
    });
  return row.lastOperation
    ? [
        ...fed,
        {
          key: 'customer',
          toMspId: row.customerMspId,
          quantity: row.quantity,
          within: false,
          label: `${t('deliverTo')} ${nameOf(row.customerMspId)}`,
        },
      ]
    : fed;
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
  const nameOf = useOrganisationName();
  const rows = (found.data?.custody.edges ?? []).map((e) => e.node);
  const toConfirm = rows.filter((r) => r.offer?.toMspId === me);
  const toSend = rows.filter(
    (r) => r.holderMspId === me && r.offer === null && destinationsOf(r, t, nameOf).length > 0,
  );
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
  const chosen = (r: CustodyRow): Destination | undefined => {
    const choices = destinationsOf(r, t, nameOf);
    return choices.find((c) => c.key === draftOf(r.lotId).destination) ?? choices[0];
  };
  const send = async (r: CustodyRow) => {
    const to = chosen(r);
    if (to === undefined) return;
    const quantity = draftOf(r.lotId).quantity ?? to.quantity;
    const write = () =>
      to.within && to.intoLotId !== undefined
        ? api.write(HAND_OVER_WITHIN, { r: { lotId: r.lotId, intoLotId: to.intoLotId, quantity } })
        : api.write(OFFER_HAND_OVER, {
            r: {
              lotId: r.lotId,
              toMspId: to.toMspId,
              quantity,
              ...(to.intoLotId === undefined ? {} : { intoLotId: to.intoLotId }),
            },
          });
    if (await run(write, `${t(to.within ? 'feedOwnLot' : 'offerHandOver')} ${r.lotId}`)) {
      setDrafts({ ...drafts, [r.lotId]: {} });
      found.reload();
    }
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
          { title: t('from'), render: (_: unknown, r: CustodyRow) => nameOf(r.holderMspId) },
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
              const to = chosen(r);
              const d = draftOf(r.lotId);
              return (
                <Space wrap>
                  <Select
                    size="small"
                    style={{ minWidth: 280 }}
                    popupMatchSelectWidth={false}
                    aria-label={`${t('to')} ${r.lotId}`}
                    value={to?.key}
                    options={destinationsOf(r, t, nameOf).map((c) => ({ value: c.key, label: c.label }))}
                    onChange={(destination: string) => {
                      edit(r.lotId, { destination, quantity: undefined });
                    }}
                  />
                  <InputNumber
                    size="small"
                    min={1}
                    max={r.quantity}
                    aria-label={`${t('quantity')} ${r.lotId}`}
                    value={d.quantity ?? to?.quantity}
                    onChange={(v) => {
                      edit(r.lotId, { quantity: v ?? undefined });
                    }}
                  />
                  <Button loading={busy} size="small" type="primary" onClick={() => void send(r)}>
                    {t(to?.within === true ? 'feedOwnLot' : 'offerHandOver')}
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
          { title: t('to'), render: (_: unknown, r: CustodyRow) => nameOf(r.offer?.toMspId) },
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
