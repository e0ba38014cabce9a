import { Alert, Button, Popconfirm, Table, Tag, Typography } from 'antd';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { PageProps } from '../session';
import { shiftLabel, yuan } from '../session';
import { QUOTA_MARKET, quotasOf, termsText, type Quota } from '../quotaMarket';
import { QuotaPaymentCell } from './QuotaPayment';
import { useAction } from '../useAction';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { ErpImport } from './ErpImport';
import { PublishForm } from './PublishForm';
import { processLabel } from '../labels';

const BUY_QUOTA = graphql(`
  mutation BuyQuota($r: BuyQuotaInput!) {
    buyQuota(request: $r) {
      ...LedgerWrite
    }
  }
`);

/** The quota market (工单额度): what factories sell, at a locked price, and buying it. */
export default function Customer({ t, session }: PageProps) {
  const api = useApi();
  const market = useLiveQuery(QUOTA_MARKET, {}, POOL_CHANGES);
  const { run, banner, busy } = useAction(t);
  const buy = async (quotaId: string) => {
    if (await run(() => api.write(BUY_QUOTA, { r: { quotaId } }), quotaId)) market.reload();
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
        dataSource={quotasOf(market.data)}
        columns={[
          { title: 'ID', dataIndex: 'id' },
          { title: t('factory'), dataIndex: 'factoryId' },
          { title: t('process'), dataIndex: 'process', render: (p: string) => processLabel(t, p) },
          {
            title: t('window'),
            render: (_: unknown, q: Quota) => `${shiftLabel(q.windowStart)} – ${shiftLabel(q.windowEnd)}`,
          },
          { title: t('minutesLeft'), render: (_: unknown, q: Quota) => q.minutes - q.consumedMinutes },
          { title: t('price'), render: (_: unknown, q: Quota) => yuan(q.pricePerMinute) },
          { title: t('quotaTerms'), render: (_: unknown, q: Quota) => termsText(t, q) },
          {
            title: t('status'),
            render: (_: unknown, q: Quota) => (
              <Tag color={q.status === 'LISTED' ? 'green' : 'default'}>{t(q.status) || q.status}</Tag>
            ),
          },
          {
            title: t('quotaPayment'),
            render: (_: unknown, q: Quota) => (
              <QuotaPaymentCell t={t} quota={q} side="buyer" onChanged={market.reload} />
            ),
          },
          {
            title: '',
            render: (_: unknown, q: Quota) =>
              q.status === 'LISTED' ? (
                <Popconfirm
                  title={t('buyConfirm')
                    .replace('{{total}}', yuan(q.minutes * q.pricePerMinute))
                    .replace('{{minutes}}', String(q.minutes))
                    .replace('{{price}}', yuan(q.pricePerMinute))}
                  okText={t('buy')}
                  onConfirm={() => void buy(q.id)}
                >
                  <Button size="small" type="primary" loading={busy}>
                    {t('buy')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </>
  );
}
