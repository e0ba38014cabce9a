import { Alert, Button, Table, Tag, Typography } from 'antd';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { QUOTA_MARKET, quotasOf, type Quota } from '../quotaMarket';
import { useAction } from '../useAction';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { ErpImport } from './ErpImport';
import { PublishForm } from './PublishForm';

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
              <Tag color={q.status === 'LISTED' ? 'green' : 'default'}>{t(q.status) || q.status}</Tag>
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
