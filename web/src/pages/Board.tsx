import { Alert, Badge, Button, Card, Input, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useSearchParams } from 'react-router';
import { BOARD_COLUMNS, boardColumn, unplacedUnits, urgencyOf, type BoardColumn } from '../boardState';
import type { BoardQuery } from '../gql/graphql';

// Opened on a click only: the drawer and its table stay out of the board's first load.
const OrderDrawer = lazy(() => import('./OrderDrawer'));
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { graphql } from '../gql';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { ALERT_RAISED, RECENT_ALERTS } from '../AlertBadges';
import { alertsByWorkOrder } from '../alertBadge';
import { download, downloadCsv } from '../csv';
import { xlsxBytes, type Cell } from '../xlsx';

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
          routing {
            seq
          }
          lots {
            id
            factoryId
            status
            quantity
            fromSeq
            toSeq
            bucket
          }
        }
      }
    }
  }
`);
type PriorityFilter = 'ALL' | 'RUSH' | 'NORMAL';
export type BoardOrder = BoardQuery['pool']['edges'][number]['node'];
type Order = BoardOrder;

const COLUMN_COLOUR: Record<BoardColumn, string> = {
  TO_PLACE: '#faad14',
  TO_ACCEPT: '#1677ff',
  IN_PRODUCTION: '#13c2c2',
  DONE: '#52c41a',
  DELIVERED: '#8c8c8c',
  PROBLEM: '#cf1322',
};
const URGENCY_COLOUR = { LATE: '#cf1322', SOON: '#fa8c16', RUSH: '#eb2f96', NONE: '#d9d9d9' } as const;

/** The orders shown as table rows (the header first): what both exports hold. */
function boardRows(
  t: PageProps['t'],
  orders: Order[],
  columnOf: (o: Order) => BoardColumn | undefined,
): Cell[][] {
  const header = [
    t('workOrder'),
    t('part'),
    t('quantity'),
    t('due'),
    t('priority'),
    t('status'),
    t('unplaced'),
  ];
  return [
    header,
    ...orders.map((o) => {
      const column = columnOf(o);
      return [
        o.id,
        o.partNumber,
        o.quantity,
        shiftLabel(o.dueBucket),
        o.priority === 'RUSH' ? t('rush') : t('normal'),
        column === undefined ? '' : t(`board.${column}`),
        unplacedUnits(o),
      ];
    }),
  ];
}

/** The orders shown, as CSV (UTF-8 with a byte-order mark, which Excel opens as such) or as a workbook. */
function exportBoard(format: 'csv' | 'xlsx', rows: Cell[][], sheetName: string): void {
  const day = new Date().toISOString().slice(0, 10);
  if (format === 'csv')
    downloadCsv(
      `work-orders-${day}.csv`,
      rows.map((r) => r.map(String)),
    );
  else
    download(
      `work-orders-${day}.xlsx`,
      [xlsxBytes(`${sheetName} ${day}`, rows)],
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
}

/**
 * The shared pool as a kanban board: a column per state an order is in (待派单, 待接单, 生产中,
 * 已完工, 已交付, 异常), cards marked by urgency and by the day's alerts, a drawer with each card's lots; filters by
 * text, priority and factory kept in the address, so a view can be shared; the orders shown
 * exported as CSV or as an Excel workbook.
 */
export default function Board({ t, session }: PageProps) {
  const { data, error } = useLiveQuery(BOARD, {}, POOL_CHANGES);
  const recentAlerts = useLiveQuery(RECENT_ALERTS, {}, ALERT_RAISED);
  const [params, setParams] = useSearchParams();
  const [opened, setOpened] = useState<Order | undefined>();
  const text = params.get('q') ?? '';
  const priorityParam = params.get('priority');
  const priority: PriorityFilter =
    priorityParam === 'RUSH' || priorityParam === 'NORMAL' ? priorityParam : 'ALL';
  const factory = params.get('factory') ?? undefined;
  const setParam = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '' || value === 'ALL') next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };
  if (error !== undefined) return <Alert type="error" title={`${t('loadFailed')}${error}`} />;
  if (data === undefined) return <Spin description={t('loading')} />;
  const all = data.pool.edges.map((e) => e.node);
  if (all.length === 0) return <Typography.Text>{t('empty')}</Typography.Text>;
  const now = Date.now();
  const alertsOf = alertsByWorkOrder(
    (recentAlerts.data?.alerts.edges ?? []).map((e) => e.node),
    now,
  );
  const columnOf = (o: Order) => boardColumn(o, now);
  const needle = text.trim().toLowerCase();
  const orders = all.filter(
    (o) =>
      columnOf(o) !== undefined &&
      (needle === '' || o.id.toLowerCase().includes(needle) || o.partNumber.toLowerCase().includes(needle)) &&
      (priority === 'ALL' || o.priority === priority) &&
      (factory === undefined || o.lots.some((l) => l.factoryId === factory)),
  );
  const factories = [...new Set(all.flatMap((o) => o.lots.map((l) => l.factoryId)))].sort();
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
            setParam('q', e.target.value);
          }}
        />
        <Segmented<PriorityFilter>
          value={priority}
          options={[
            { label: t('all'), value: 'ALL' },
            { label: t('rush'), value: 'RUSH' },
            { label: t('normal'), value: 'NORMAL' },
          ]}
          onChange={(v) => {
            setParam('priority', v);
          }}
        />
        <Select
          allowClear
          aria-label={t('factory')}
          placeholder={t('factory')}
          style={{ width: 180 }}
          value={factory}
          options={factories.map((f) => ({ value: f, label: f }))}
          onChange={(v: string | undefined) => {
            setParam('factory', v);
          }}
        />
        <Typography.Text type="secondary">
          {orders.length} / {all.length}
        </Typography.Text>
        <Button
          onClick={() => {
            exportBoard('csv', boardRows(t, orders, columnOf), t('board'));
          }}
        >
          {t('exportCsv')}
        </Button>
        <Button
          data-testid="export-xlsx"
          onClick={() => {
            exportBoard('xlsx', boardRows(t, orders, columnOf), t('board'));
          }}
        >
          {t('exportXlsx')}
        </Button>
      </Space>
      <div
        style={{ display: 'flex', gap: 12, overflowX: 'auto', alignItems: 'flex-start' }}
        data-testid="kanban"
      >
        {BOARD_COLUMNS.map((column) => {
          const cards = orders.filter((o) => columnOf(o) === column);
          return (
            <div
              key={column}
              data-testid={`column-${column}`}
              style={{ flex: '1 0 210px', minWidth: 210, background: '#fafafa', borderRadius: 8, padding: 8 }}
            >
              <Typography.Title
                level={5}
                style={{ borderBottom: `3px solid ${COLUMN_COLOUR[column]}`, paddingBottom: 4 }}
              >
                {t(`board.${column}`)} <Badge count={cards.length} showZero color={COLUMN_COLOUR[column]} />
              </Typography.Title>
              {/* Each column scrolls on its own: a day of delivered orders does not push the page
                  to thousands of pixels, and every column's head stays in view. */}
              <Space
                orientation="vertical"
                style={{ width: '100%', maxHeight: 'calc(100vh - 300px)', minHeight: 120, overflowY: 'auto' }}
                size={8}
                data-testid="column-cards"
              >
                {cards.map((o) => {
                  const urgency = urgencyOf(o, now);
                  const unplaced = unplacedUnits(o);
                  return (
                    <Card
                      key={o.id}
                      size="small"
                      hoverable
                      data-testid="work-order-card"
                      style={{ borderLeft: `4px solid ${URGENCY_COLOUR[urgency]}` }}
                      onClick={() => {
                        setOpened(o);
                      }}
                    >
                      <Typography.Text strong>{o.id}</Typography.Text>
                      <div>{o.partNumber}</div>
                      <div style={{ fontSize: 12, color: '#595959' }}>
                        ×{o.quantity} · {t('due')} {shiftLabel(o.dueBucket)}
                      </div>
                      <Space size={4} wrap style={{ marginTop: 4 }}>
                        {o.priority === 'RUSH' && <Tag color="red">{t('rush')}</Tag>}
                        {urgency === 'LATE' && <Tag color="red">{t('late')}</Tag>}
                        {urgency === 'SOON' && <Tag color="orange">{t('dueSoon')}</Tag>}
                        {unplaced > 0 && (
                          <Tag color="gold">
                            {t('unplaced')} {unplaced}
                          </Tag>
                        )}
                        {(alertsOf.get(o.id) ?? 0) > 0 && (
                          <Tag color="volcano" data-testid="card-alerts">
                            {t('alertsOfDay')} {alertsOf.get(o.id)}
                          </Tag>
                        )}
                        {o.amendmentCount > 0 && (
                          <Tag color="blue">
                            {t('amended')} {o.amendmentCount}
                          </Tag>
                        )}
                      </Space>
                    </Card>
                  );
                })}
              </Space>
            </div>
          );
        })}
      </div>
      {opened !== undefined && (
        <Suspense fallback={null}>
          <OrderDrawer
            t={t}
            role={session.role}
            order={opened}
            onClose={() => {
              setOpened(undefined);
            }}
          />
        </Suspense>
      )}
    </>
  );
}
