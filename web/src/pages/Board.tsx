import { Alert, Card, Col, Input, Row, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { graphql } from '../gql';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { lotStatusLabel } from '../labels';

const BOARD = graphql(`
  query Board {
    pool(first: 200) {
      edges {
        node {
          id
          partNumber
          quantity
          status
          priority
          dueBucket
          amendmentCount
          lots {
            id
            factoryId
            status
            quantity
          }
        }
      }
    }
  }
`);
type PriorityFilter = 'ALL' | 'RUSH' | 'NORMAL';

/** The shared pool as a board by status, filtered by text, priority and factory, kept live by the pool's changes. */
export default function Board({ t }: PageProps) {
  const { data, error } = useLiveQuery(BOARD, {}, POOL_CHANGES);
  const [text, setText] = useState('');
  const [priority, setPriority] = useState<PriorityFilter>('ALL');
  const [factory, setFactory] = useState<string | undefined>();
  if (error !== undefined) return <Alert type="error" title={`${t('loadFailed')}${error}`} />;
  if (data === undefined) return <Spin description={t('loading')} />;
  const all = data.pool.edges.map((e) => e.node);
  if (all.length === 0) return <Typography.Text>{t('empty')}</Typography.Text>;
  const needle = text.trim().toLowerCase();
  const orders = all.filter(
    (o) =>
      (needle === '' || o.id.toLowerCase().includes(needle) || o.partNumber.toLowerCase().includes(needle)) &&
      (priority === 'ALL' || o.priority === priority) &&
      (factory === undefined || o.lots.some((l) => l.factoryId === factory)),
  );
  const factories = [...new Set(all.flatMap((o) => o.lots.map((l) => l.factoryId)))].sort();
  const columns = [...new Set(all.map((o) => o.status))].sort();
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }} data-testid="board-filters">
        <Input.Search
          allowClear
          aria-label={t('search')}
          placeholder={t('searchHint')}
          style={{ width: 240 }}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
          }}
        />
        <Segmented<PriorityFilter>
          value={priority}
          options={[
            { label: t('all'), value: 'ALL' },
            { label: t('rush'), value: 'RUSH' },
            { label: t('normal'), value: 'NORMAL' },
          ]}
          onChange={setPriority}
        />
        <Select
          allowClear
          aria-label={t('factory')}
          placeholder={t('factory')}
          style={{ width: 180 }}
          value={factory}
          options={factories.map((f) => ({ value: f, label: f }))}
          onChange={(v: string | undefined) => {
            setFactory(v);
          }}
        />
        <Typography.Text type="secondary">
          {orders.length} / {all.length}
        </Typography.Text>
      </Space>
      <Row gutter={16}>
        {columns.map((status) => (
          <Col key={status} xs={24} md={12} lg={8}>
            <Typography.Title level={4}>{t(status as MessageKey)}</Typography.Title>
            <Space orientation="vertical" style={{ width: '100%' }}>
              {orders
                .filter((o) => o.status === status)
                .map((o) => (
                  <Card key={o.id} size="small" title={o.id} data-testid="work-order-card">
                    <div>
                      {t('part')}: {o.partNumber}
                    </div>
                    <div>
                      {t('quantity')}: {o.quantity} · {t('due')}: {shiftLabel(o.dueBucket)}
                    </div>
                    <div>
                      {t('priority')}:{' '}
                      {o.priority === 'RUSH' ? <Tag color="red">{t('rush')}</Tag> : <Tag>{t('normal')}</Tag>}
                      {o.amendmentCount > 0 && (
                        <Tag color="blue">
                          {t('amended')} {o.amendmentCount}
                        </Tag>
                      )}
                    </div>
                    <div>
                      {t('lots')}:{' '}
                      {o.lots.map((l) => (
                        <Tag key={l.id}>
                          {l.factoryId} ×{l.quantity} {lotStatusLabel(t, l.status)}
                        </Tag>
                      ))}
                    </div>
                  </Card>
                ))}
            </Space>
          </Col>
        ))}
      </Row>
    </>
  );
}
