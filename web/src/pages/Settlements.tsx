import { Button, Input, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { SettlementsQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { yuan } from '../session';
import { usePaging } from '../paging';
import { useAction } from '../useAction';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';

const SETTLEMENTS = graphql(`
  query Settlements($first: Int!) {
    settlements(first: $first) {
      edges {
        node {
          settlementId
          lotId
          workOrderId
          payerMspId
          payerMemberId
          payerName
          payeeMspId
          payeeName
          acceptedQuantity
          unitPrice
          gross
          bucketsLate
          latePenalty
          prepaidCredit
          amountDue
          status
          paidAt
          paymentReference
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    me {
      mspId
      memberId
      role
    }
  }
`);
const DECLARE_PAYMENT = graphql(`
  mutation DeclarePayment($r: DeclarePaymentInput!) {
    declarePayment(request: $r) {
      ...LedgerWrite
    }
  }
`);
const CONFIRM_PAYMENT = graphql(`
  mutation ConfirmPayment($r: ConfirmPaymentInput!) {
    confirmPayment(request: $r) {
      ...LedgerWrite
    }
  }
`);
const STATUS_COLOUR = { DUE: 'orange', DECLARED: 'blue', PAID: 'green' } as const;
type Settlement = SettlementsQuery['settlements']['edges'][number]['node'];

/**
 * Settlements the caller is party to (all of them for an auditor): gross, lateness penalty, what a
 * quota prepaid, the amount due. The side that sends the money (the customer; the factory for a
 * refund) declares it paid with its bank reference, the side that receives it confirms it arrived.
 */
export function Settlements({ t }: PageProps) {
  const api = useApi();
  const { first, showMore } = usePaging(t);
  const found = useLiveQuery(SETTLEMENTS, { first }, POOL_CHANGES);
  const [references, setReferences] = useState<Record<string, string>>({});
  const { run, banner, busy } = useAction(t);
  const me = found.data?.me;
  const sideOf = (s: Settlement): 'customer' | 'factory' | undefined =>
    me === undefined
      ? undefined
      : me.memberId === s.payerMemberId
        ? 'customer'
        : me.role === 'factory' && me.mspId === s.payeeMspId
          ? 'factory'
          : undefined;
  const senderOf = (s: Settlement) => (s.amountDue < 0 ? 'factory' : 'customer');
  const declare = async (s: Settlement) => {
    const reference = references[s.settlementId]?.trim();
    if (
      await run(
        () =>
          api.write(DECLARE_PAYMENT, {
            r: {
              settlementId: s.settlementId,
              ...(reference === undefined || reference === '' ? {} : { paymentReference: reference }),
            },
          }),
        s.settlementId,
      )
    )
      found.reload();
  };
  const confirm = async (s: Settlement) => {
    if (await run(() => api.write(CONFIRM_PAYMENT, { r: { settlementId: s.settlementId } }), s.settlementId))
      found.reload();
  };
  return (
    <>
      {banner}
      <Table
        data-testid="settlements"
        size="small"
        rowKey="settlementId"
        scroll={{ x: true }}
        dataSource={(found.data?.settlements.edges ?? []).map((e) => e.node)}
        columns={[
          { title: t('lots'), dataIndex: 'lotId' },
          { title: t('workOrder'), dataIndex: 'workOrderId' },
          {
            title: t('payer'),
            render: (_: unknown, s: Settlement) => <span title={s.payerMspId}>{s.payerName}</span>,
          },
          {
            title: t('payee'),
            render: (_: unknown, s: Settlement) => <span title={s.payeeMspId}>{s.payeeName}</span>,
          },
          { title: t('acceptedQuantity'), dataIndex: 'acceptedQuantity' },
          { title: t('gross'), render: (_: unknown, s: Settlement) => yuan(s.gross) },
          {
            title: t('latePenalty'),
            render: (_: unknown, s: Settlement) => (s.latePenalty > 0 ? `−${yuan(s.latePenalty)}` : '—'),
          },
          { title: t('prepaid'), render: (_: unknown, s: Settlement) => yuan(s.prepaidCredit) },
          { title: t('amountDue'), render: (_: unknown, s: Settlement) => <b>{yuan(s.amountDue)}</b> },
          {
            title: t('status'),
            render: (_: unknown, s: Settlement) => <Tag color={STATUS_COLOUR[s.status]}>{t(s.status)}</Tag>,
          },
          {
            title: '',
            render: (_: unknown, s: Settlement) => {
              const side = sideOf(s);
              if (side === senderOf(s) && s.status === 'DUE')
                return (
                  <Space.Compact>
                    <Input
                      size="small"
                      style={{ width: 140 }}
                      placeholder={t('paymentReference')}
                      value={references[s.settlementId] ?? ''}
                      onChange={(e) => {
                        setReferences({ ...references, [s.settlementId]: e.target.value });
                      }}
                    />
                    <Button loading={busy} size="small" type="primary" onClick={() => void declare(s)}>
                      {t('declarePayment')}
                    </Button>
                  </Space.Compact>
                );
              if (side !== undefined && side !== senderOf(s) && s.status !== 'PAID')
                return (
                  <Space>
                    {s.paymentReference ?? ''}
                    <Popconfirm
                      title={`${t('confirmPaymentReceived')} ${yuan(Math.abs(s.amountDue))}?`}
                      onConfirm={() => void confirm(s)}
                    >
                      <Button loading={busy} size="small" type="primary">
                        {t('confirmPaymentReceived')}
                      </Button>
                    </Popconfirm>
                  </Space>
                );
              return s.paymentReference ?? '';
            },
          },
        ]}
      />
      {showMore(found.data?.settlements.pageInfo)}
    </>
  );
}
