import type { Settlement } from '@fabpool/chaincode/model';
import { Button, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { write } from '../api';
import type { PageProps } from '../session';
import { yuan } from '../session';
import { useAction } from '../useAction';
import { POOL_CHANGES, useQuery } from '../useQuery';

/**
 * Settlements the caller is party to (all of them for an auditor): gross, lateness penalty, what a
 * quota prepaid, the amount due; the payer confirms its payment here.
 */
export function Settlements({ t, session }: PageProps) {
  const found = useQuery<{ settlements: Settlement[]; me: { mspId: string } }>(
    `{ settlements { settlementId lotId workOrderId payerMspId payeeMspId acceptedQuantity unitPrice gross
        bucketsLate latePenalty prepaidCredit amountDue status paidAt paymentReference } me { mspId } }`,
    {},
    session.token,
    POOL_CHANGES,
  );
  const [references, setReferences] = useState<Record<string, string>>({});
  const { run, banner, busy } = useAction(t);
  const pay = async (s: Settlement) => {
    const reference = references[s.settlementId]?.trim();
    if (
      await run(
        () =>
          write(
            'mutation($r: ConfirmPaymentInput!) { confirmPayment(request: $r) { receipt { transactionId } userErrors { code message field } } }',
            {
              r: {
                settlementId: s.settlementId,
                ...(reference === undefined || reference === '' ? {} : { paymentReference: reference }),
              },
            },
            session.token,
          ),
        s.settlementId,
      )
    )
      found.reload();
  };
  const me = found.data?.me.mspId;
  return (
    <>
      {banner}
      <Table
        data-testid="settlements"
        size="small"
        rowKey="settlementId"
        scroll={{ x: true }}
        dataSource={found.data?.settlements ?? []}
        columns={[
          { title: t('lots'), dataIndex: 'lotId' },
          { title: t('workOrder'), dataIndex: 'workOrderId' },
          { title: t('payer'), dataIndex: 'payerMspId' },
          { title: t('payee'), dataIndex: 'payeeMspId' },
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
            render: (_: unknown, s: Settlement) => (
              <Tag color={s.status === 'PAID' ? 'green' : 'orange'}>{t(s.status)}</Tag>
            ),
          },
          {
            title: '',
            render: (_: unknown, s: Settlement) =>
              s.status === 'DUE' && s.payerMspId === me ? (
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
                  <Button loading={busy} size="small" type="primary" onClick={() => void pay(s)}>
                    {t('confirmPayment')}
                  </Button>
                </Space.Compact>
              ) : (
                (s.paymentReference ?? '')
              ),
          },
        ]}
      />
    </>
  );
}
