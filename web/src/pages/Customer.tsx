import { Alert, Button, Table, Tag, Typography } from 'antd';
import { write } from '../api';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { QUOTA_MARKET_QUERY, type Quota } from '../quotaMarket';
import { useAction } from '../useAction';
import { POOL_CHANGES, useQuery } from '../useQuery';
import { ErpImport } from './ErpImport';
import { PublishForm } from './PublishForm';

/** The quota market (工单额度): what factories sell, at a locked price, and buying it. */
export default function Customer({ t, session }: PageProps) {
  const market = useQuery<{ quotaMarket: Quota[] }>(QUOTA_MARKET_QUERY, {}, session.token, POOL_CHANGES);
  const { run, banner, busy } = useAction(t);
  const buy = async (quotaId: string) => {
    if (
      await run(
        () =>
          write(
            'mutation($r: BuyQuotaInput!) { buyQuota(request: $r) { receipt { transactionId } userErrors { code message field } } }',
            { r: { quotaId } },
            session.token,
          ),
        quotaId,
      )
    )
      market.reload();
  };
  return (
    <>
      <PublishForm t={t} session={session} onPublished={market.reload} />
      <ErpImport t={t} session={session} />
      <Typography.Title level={3} style={{ marginTop: 16 }}>
        {t('quotaMarket')}
      </Typography.Title>
      {banner}
      {market.error !== undefined && <Alert type="error" title={`${t('loadFailed')}${market.error}`} />}
      <Table
        data-testid="quota-market"
        size="small"
        rowKey="id"
        scroll={{ x: true }}
        dataSource={market.data?.quotaMarket ?? []}
        columns={[
          { title: 'ID', dataIndex: 'id' },
          { title: t('factory'), dataIndex: 'factoryId' },
          { title: t('process'), dataIndex: 'process' },
          {
            title: t('window'),
            render: (_: unknown, q: Quota) => `${shiftLabel(q.windowStart)} – ${shiftLabel(q.windowEnd)}`,
          },
          { title: t('minutesLeft'), render: (_: unknown, q: Quota) => q.minutes - q.consumedMinutes },
          { title: t('price'), dataIndex: 'pricePerMinute' },
          {
            title: t('status'),
            render: (_: unknown, q: Quota) => (
              <Tag color={q.status === 'LISTED' ? 'green' : 'default'}>
                {t(q.status as MessageKey) || q.status}
              </Tag>
            ),
          },
          {
            title: '',
            render: (_: unknown, q: Quota) =>
              q.status === 'LISTED' ? (
                <Button size="small" type="primary" loading={busy} onClick={() => void buy(q.id)}>
                  {t('buy')}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
