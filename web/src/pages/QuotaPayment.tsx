import { Button, Input, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { PageProps } from '../session';
import { yuan } from '../session';
import type { Quota } from '../quotaMarket';
import { useAction } from '../useAction';

const DECLARE = graphql(`
  mutation DeclareQuotaPayment($r: DeclareQuotaPaymentInput!) {
    declareQuotaPayment(request: $r) {
      ...LedgerWrite
    }
  }
`);
const CONFIRM = graphql(`
  mutation ConfirmQuotaPayment($r: ConfirmQuotaPaymentInput!) {
    confirmQuotaPayment(request: $r) {
      ...LedgerWrite
    }
  }
`);

const STATUS_COLOUR = { DUE: 'orange', DECLARED: 'blue', CONFIRMED: 'green' } as const;

/**
 * A bought quota's prepayment, as its buyer and its factory see it: the amount, where it stands,
 * how it was split when the quota closed; the buyer declares it paid (with its bank reference),
 * the factory confirms it received.
 */
export function QuotaPaymentCell({
  t,
  quota,
  side,
  onChanged,
}: Pick<PageProps, 't'> & { quota: Quota; side: 'buyer' | 'factory'; onChanged: () => void }) {
  const api = useApi();
  const { run, banner, busy } = useAction(t, { errorsOnly: true });
  const [reference, setReference] = useState('');
  const payment = quota.payment;
  if (payment === null) return null;
  const status = payment.status as keyof typeof STATUS_COLOUR;
  const declare = async () => {
    if (
      await run(
        () => api.write(DECLARE, { r: { quotaId: quota.id, paymentReference: reference.trim() } }),
        quota.id,
      )
    )
      onChanged();
  };
  const confirm = async () => {
    if (await run(() => api.write(CONFIRM, { r: { quotaId: quota.id } }), quota.id)) onChanged();
  };
  return (
    <Space orientation="vertical" size={4} data-testid={`quota-payment-${quota.id}`}>
      {banner}
      <Space>
        <Typography.Text strong>{yuan(payment.amount)}</Typography.Text>
        <Tag color={STATUS_COLOUR[status]}>{t(`payment${status}`)}</Tag>
      </Space>
      {payment.closedBy !== null && (
        <Typography.Text type="secondary">
          {t('quotaClosedSplit')
            .replace('{{used}}', yuan(payment.usedValue ?? 0))
            .replace('{{refunded}}', yuan(payment.refunded ?? 0))
            .replace('{{forfeited}}', yuan(payment.forfeited ?? 0))}
        </Typography.Text>
      )}
      {side === 'buyer' && payment.status === 'DUE' && (
        <Space.Compact>
          <Input
            size="small"
            style={{ width: 150 }}
            placeholder={t('paymentReferencePlaceholder')}
            value={reference}
            onChange={(e) => {
              setReference(e.target.value);
            }}
          />
          <Button
            size="small"
            loading={busy}
            disabled={reference.trim() === ''}
            onClick={() => void declare()}
          >
            {t('declarePaid')}
          </Button>
        </Space.Compact>
      )}
      {side === 'factory' && payment.status !== 'CONFIRMED' && (
        <Popconfirm
          title={`${t('confirmReceived')} ${yuan(payment.amount)}?`}
          onConfirm={() => void confirm()}
        >
          <Button size="small" type="primary" loading={busy}>
            {t('confirmReceived')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}
