import { Alert, Drawer, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { useQuery } from 'urql';
import { unplacedUnits } from '../boardState';
import { graphql } from '../gql';
import { lotStatusLabel, recordKindLabel } from '../labels';
import type { PageProps } from '../session';
import { shiftLabel, yuan } from '../session';
import type { BoardOrder } from './Board';
import { useOrganisationName } from '../organisations';

/** What the drawer adds to the card: the matcher's reason for each lot (where the reader may see it). */
const ORDER_LOTS = graphql(`
  query OrderDrawerLots($id: String!) {
    workOrder(id: $id) {
      id
      lots {
        id
        explanation {
          why {
            costPerUnit
            nextBest {
              factoryId
              bucket
              costPerUnit
            }
          }
        }
      }
    }
  }
`);

/** ...and, for its customer and the overseers, each lot's custody, progress and exceptions, and its history. */
const ORDER_TRACE = graphql(`
  query OrderDrawerTrace($id: String!) {
    trace(workOrderId: $id) {
      lots {
        lot {
          lotId
        }
        custody {
          holderMspId
          quantity
        }
        progress {
          seq
          status
          goodQuantity
          material {
            unit
            standard
            used
          }
        }
        exceptions {
          status
        }
      }
      steps {
        at
        kind
        id
        txId
      }
    }
  }
`);

/** The roles that read a work order's trace (its customer among customers: the api checks which). */
const TRACE_READERS = new Set(['customer', 'operator', 'auditor']);

/** An operation's material as the lot's row says it: used against standard, once reported. */
function materialNote(
  t: PageProps['t'],
  material: { unit: string; standard: number; used?: number | null } | null | undefined,
): string {
  if (material?.used === undefined || material.used === null) return '';
  return `（${t('materialShort')} ${String(material.used)}/${String(material.standard)} ${material.unit}）`;
}

type Lot = BoardOrder['lots'][number];

/**
 * A board card opened: its order's lots — plant, operations, shift, units, where each stands and
 * why the matcher put it there — and, for those who may read it, each lot's material, progress and
 * exceptions and the order's history on the ledger.
 */
export default function OrderDrawer({
  t,
  role,
  order,
  onClose,
}: Pick<PageProps, 't'> & { role: string; order: BoardOrder; onClose: () => void }) {
  const [lots] = useQuery({ query: ORDER_LOTS, variables: { id: order.id } });
  const [trace] = useQuery({
    query: ORDER_TRACE,
    variables: { id: order.id },
    pause: !TRACE_READERS.has(role),
  });
  const nameOf = useOrganisationName();
  const whyOf = new Map((lots.data?.workOrder?.lots ?? []).map((l) => [l.id, l.explanation?.why]));
  const traced = new Map((trace.data?.trace.lots ?? []).map((l) => [l.lot.lotId, l]));
  const steps = [...(trace.data?.trace.steps ?? [])].sort((a, b) => (a.at < b.at ? 1 : -1)).slice(0, 30);
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
          scroll={{ x: true }}
          dataSource={order.lots}
          locale={{ emptyText: t('noLotsYet') }}
          columns={[
            { title: t('lots'), dataIndex: 'id' },
            { title: t('factory'), dataIndex: 'factoryId' },
            {
              title: t('operations'),
              render: (_: unknown, l: Lot) =>
                l.fromSeq === l.toSeq ? String(l.fromSeq) : `${l.fromSeq}–${l.toSeq}`,
            },
            { title: t('shift'), render: (_: unknown, l: Lot) => shiftLabel(l.bucket) },
            { title: t('quantity'), dataIndex: 'quantity' },
            { title: t('status'), render: (_: unknown, l: Lot) => <Tag>{lotStatusLabel(t, l.status)}</Tag> },
            {
              title: t('matcherReason'),
              render: (_: unknown, l: Lot) => {
                const why = whyOf.get(l.id);
                if (why === undefined || why === null) return '—';
                const next = why.nextBest;
                return `${t('perUnit')} ${yuan(why.costPerUnit)}${
                  next === null
                    ? ''
                    : ` · ${t('nextBest')} ${next.factoryId} ${shiftLabel(next.bucket)} ${yuan(next.costPerUnit)}`
                }`;
              },
            },
            {
              title: t('custodyHeld'),
              render: (_: unknown, l: Lot) => {
                const c = traced.get(l.id)?.custody;
                return c === undefined || c === null ? '—' : `${nameOf(c.holderMspId)} ${c.quantity}`;
              },
            },
            {
              title: t('progressOf'),
              render: (_: unknown, l: Lot) =>
                (traced.get(l.id)?.progress ?? [])
                  .map(
                    (p) =>
                      `${p.seq}${p.status === 'REPORTED' ? `✓${String(p.goodQuantity ?? 0)}` : '…'}${materialNote(t, p.material)}`,
                  )
                  .join(' ') || '—',
            },
            {
              title: t('exceptionsOpen'),
              render: (_: unknown, l: Lot) => {
                const open = (traced.get(l.id)?.exceptions ?? []).filter((e) => e.status === 'OPEN').length;
                return open > 0 ? <Tag color="red">{open}</Tag> : '—';
              },
            },
          ]}
        />
        <Typography.Title level={5}>{t('history')}</Typography.Title>
        {!TRACE_READERS.has(role) || trace.error !== undefined ? (
          <Alert type="info" title={t('historyHidden')} />
        ) : trace.fetching ? (
          <Spin description={t('orderDetailLoading')} />
        ) : (
          <Timeline
            data-testid="order-history"
            items={steps.map((s) => ({
              key: `${s.txId}${s.kind}${s.id}`,
              content: `${s.at.slice(5, 16).replace('T', ' ')} · ${recordKindLabel(t, s.kind)} · ${s.id}`,
            }))}
          />
        )}
      </Space>
    </Drawer>
  );
}
