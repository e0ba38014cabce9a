import { Drawer, Space, Table, Tag, Typography } from 'antd';
import { unplacedUnits } from '../boardState';
import { lotStatusLabel } from '../labels';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import type { BoardOrder } from './Board';

/** A board card opened: its order's lots, each plant, operations, shift, units and where it stands. */
export default function OrderDrawer({
  t,
  order,
  onClose,
}: Pick<PageProps, 't'> & { order: BoardOrder; onClose: () => void }) {
  return (
    <Drawer open size="large" title={`${order.id} · ${order.partNumber}`} onClose={onClose}>
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="order-drawer">
        <Typography.Text>
          {t('quantity')} {order.quantity} · {t('due')} {shiftLabel(order.dueBucket)} · {t('unplaced')}{' '}
          {unplacedUnits(order)}
        </Typography.Text>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={order.lots}
          locale={{ emptyText: t('noLotsYet') }}
          columns={[
            { title: t('lots'), dataIndex: 'id' },
            { title: t('factory'), dataIndex: 'factoryId' },
            {
              title: t('operations'),
              render: (_: unknown, l: BoardOrder['lots'][number]) =>
                l.fromSeq === l.toSeq ? String(l.fromSeq) : `${l.fromSeq}–${l.toSeq}`,
            },
            {
              title: t('shift'),
              render: (_: unknown, l: BoardOrder['lots'][number]) => shiftLabel(l.bucket),
            },
            { title: t('quantity'), dataIndex: 'quantity' },
            {
              title: t('status'),
              render: (_: unknown, l: BoardOrder['lots'][number]) => <Tag>{lotStatusLabel(t, l.status)}</Tag>,
            },
          ]}
        />
      </Space>
    </Drawer>
  );
}
