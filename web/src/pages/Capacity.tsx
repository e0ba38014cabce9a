import { Alert, Spin, Table, Typography } from 'antd';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { graphql } from '../gql';
import { useLiveQuery } from '../useLiveQuery';
import { processLabel } from '../labels';

const CAPACITY_GRID = graphql(`
  query CapacityGrid {
    capacityGrid {
      factoryId
      process
      bucket
      declaredMinutes
      assignedMinutes
      loadMinutes
    }
  }
`);
const LOTS_IN_SHIFTS = graphql(`
  query LotsInShifts($b: [String!]!) {
    lotsInShifts(buckets: $b) {
      id
      factoryId
      status
      bucket
      quantity
      workOrderId
    }
  }
`);

/** Green to red as a shift fills: what the lots hold plus what the factory reported. */
function heat(share: number): string {
  const s = Math.max(0, Math.min(1, share));
  return `hsl(${Math.round(120 - 120 * s)}, 70%, ${s === 0 ? 96 : 80}%)`;
}

export default function Capacity({ t, session }: PageProps) {
  const grid = useLiveQuery(CAPACITY_GRID, {});
  if (grid.error !== undefined) return <Alert type="error" title={`${t('loadFailed')}${grid.error}`} />;
  if (grid.data === undefined) return <Spin description={t('loading')} />;
  const cells = grid.data.capacityGrid;
  const buckets = [...new Set(cells.map((c) => c.bucket))].sort().slice(0, 9);
  const rows = [...new Set(cells.map((c) => `${c.factoryId} · ${processLabel(t, c.process)}`))].sort();
  const at = new Map(cells.map((c) => [`${c.factoryId} · ${processLabel(t, c.process)}|${c.bucket}`, c]));
  return (
    <>
      <Typography.Title level={3}>{t('heatMap')}</Typography.Title>
      <Table
        data-testid="heat-map"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        rowKey="row"
        dataSource={rows.map((row) => ({ row }))}
        columns={[
          { title: `${t('factory')} · ${t('process')}`, dataIndex: 'row', fixed: 'left' },
          ...buckets.map((b) => ({
            title: shiftLabel(b),
            key: b,
            render: (_: unknown, r: { row: string }) => {
              const c = at.get(`${r.row}|${b}`);
              if (c === undefined) return null;
              const used = c.assignedMinutes + c.loadMinutes;
              const share = c.declaredMinutes === 0 ? 1 : used / c.declaredMinutes;
              return (
                <div
                  style={{ background: heat(share), padding: '2px 6px', textAlign: 'right' }}
                  title={`${used}/${c.declaredMinutes}`}
                >
                  {Math.round(share * 100)}%
                </div>
              );
            },
          })),
        ]}
      />
      <ShiftGantt t={t} session={session} buckets={buckets} />
    </>
  );
}

/** The lots placed in the heat map's shifts, a row per factory: read for those shifts, whatever the pool's size. */
function ShiftGantt({ t, buckets }: PageProps & { buckets: string[] }) {
  const placed = useLiveQuery(LOTS_IN_SHIFTS, { b: buckets });
  if (placed.error !== undefined) return <Alert type="error" title={`${t('loadFailed')}${placed.error}`} />;
  if (placed.data === undefined) return <Spin description={t('loading')} />;
  const lots = placed.data.lotsInShifts;
  const factories = [...new Set(lots.map((l) => l.factoryId))].sort();
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 24 }}>
        {t('gantt')}
      </Typography.Title>
      <div data-testid="gantt" style={{ overflowX: 'auto' }}>
        <table style={{ borderCollapse: 'collapse', minWidth: 720 }}>
          <thead>
            <tr>
              <th style={{ textAlign: 'left', padding: 4 }}>{t('factory')}</th>
              {buckets.map((b) => (
                <th key={b} style={{ padding: 4, fontWeight: 'normal' }}>
                  {shiftLabel(b)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {factories.map((f) => (
              <tr key={f} style={{ borderTop: '1px solid #eee' }}>
                <td style={{ padding: 4, whiteSpace: 'nowrap' }}>{f}</td>
                {buckets.map((b) => (
                  <td key={b} style={{ padding: 2, verticalAlign: 'top' }}>
                    {lots
                      .filter((l) => l.factoryId === f && l.bucket === b)
                      .map((l) => (
                        <div
                          key={l.id}
                          title={`${l.workOrderId} ${l.status}`}
                          style={{
                            background:
                              l.status === 'ASSIGNED'
                                ? '#e6f4ff'
                                : l.status === 'DONE' || l.status === 'DELIVERED'
                                  ? '#f6ffed'
                                  : '#fff7e6',
                            border: '1px solid #d9d9d9',
                            borderRadius: 4,
                            fontSize: 12,
                            margin: 1,
                            padding: '0 4px',
                            whiteSpace: 'nowrap',
                          }}
                        >
                          {l.workOrderId} ×{l.quantity}
                        </div>
                      ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
