import { Alert, Card, Col, Row, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, gql } from '../api';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';

interface WorkOrderCard {
  id: string;
  partNumber: string;
  quantity: number;
  status: string;
  priority: string;
  dueBucket: string;
  lots: { id: string; factoryId: string; status: string; quantity: number }[];
}

/** The shared pool as a board by status. */
export default function Board({ t, session }: PageProps) {
  const [orders, setOrders] = useState<WorkOrderCard[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    gql<{ pool: { edges: { node: WorkOrderCard }[] } }>(
      '{ pool(first: 100) { edges { node { id partNumber quantity status priority dueBucket lots { id factoryId status quantity } } } } }',
      {},
      session.token,
    ).then(
      (data) => {
        setOrders(data.pool.edges.map((e) => e.node));
      },
      (e: unknown) => {
        setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
      },
    );
  }, [session.token]);
  if (error !== undefined) return <Alert type="error" title={`${t('loadFailed')}${error}`} />;
  if (orders === undefined) return <Spin description={t('loading')} />;
  if (orders.length === 0) return <Typography.Text>{t('empty')}</Typography.Text>;
  const columns = [...new Set(orders.map((o) => o.status))].sort();
  return (
    <Row gutter={16}>
      {columns.map((status) => (
        <Col key={status} xs={24} md={12} lg={8}>
          <Typography.Title level={4}>{t(status as MessageKey) || status}</Typography.Title>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {orders
              .filter((o) => o.status === status)
              .map((o) => (
                <Card key={o.id} size="small" title={o.id} data-testid="work-order-card">
                  <div>
                    {t('part')}: {o.partNumber}
                  </div>
                  <div>
                    {t('quantity')}: {o.quantity} · {t('due')}: {o.dueBucket.slice(5, 16).replace('T', ' ')}
                  </div>
                  <div>
                    {t('priority')}:{' '}
                    {o.priority === 'RUSH' ? <Tag color="red">{t('rush')}</Tag> : <Tag>{t('normal')}</Tag>}
                  </div>
                  <div>
                    {t('lots')}:{' '}
                    {o.lots.map((l) => (
                      <Tag key={l.id}>
                        {l.factoryId} ×{l.quantity} {l.status}
                      </Tag>
                    ))}
                  </div>
                </Card>
              ))}
          </Space>
        </Col>
      ))}
    </Row>
  );
}
