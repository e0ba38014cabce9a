import { Alert, Button, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, gql } from '../api';
import { explainError, type MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { QUOTA_MARKET_QUERY, type Quota } from '../quotaMarket';
import { POOL_CHANGES, useQuery } from '../useQuery';
import { ErpImport } from './ErpImport';
import { PublishForm } from './PublishForm';

/** The quota market (工单额度): what factories sell, at a locked price, and buying it. */
export default function Customer({ t, session }: PageProps) {
  const market = useQuery<{ quotaMarket: Quota[] }>(QUOTA_MARKET_QUERY, {}, session.token, POOL_CHANGES);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const buy = async (quotaId: string) => {
    try {
      await gql(
        'mutation($r: JSON!) { buyQuota(request: $r) { transactionId } }',
        { r: { quotaId } },
        session.token,
      );
      setMessage({ ok: true, text: `${t('done')}: ${quotaId}` });
      market.reload();
    } catch (e) {
      setMessage({
        ok: false,
        text: `${t('actionFailed')}${e instanceof ApiError ? explainError(t, e.code, e.message) : String(e)}`,
      });
    }
  };
  return (
    <>
      <PublishForm t={t} session={session} onPublished={market.reload} />
      <ErpImport t={t} session={session} />
      <Typography.Title level={3} style={{ marginTop: 16 }}>
        {t('quotaMarket')}
      </Typography.Title>
      {message !== undefined && (
        <Alert style={{ marginBottom: 12 }} type={message.ok ? 'success' : 'error'} title={message.text} />
      )}
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
                <Button size="small" type="primary" onClick={() => void buy(q.id)}>
                  {t('buy')}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
