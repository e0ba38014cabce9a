import { Alert, Card, Table, Tag } from 'antd';
import { graphql } from '../gql';
import { planSummary, SHIFT_MS, type PlannedLot } from '../planSummary';
import type { PageProps } from '../session';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { lotStatusLabel } from '../labels';

const PUBLISHED_PLAN = graphql(`
  query PublishedPlan($id: String!) {
    workOrder(id: $id) {
      id
      quantity
      dueBucket
      priority
      routing {
        seq
        process
      }
      lots {
        id
        factoryId
        bucket
        quantity
        fromSeq
        toSeq
        status
      }
    }
    matcherRuns(first: 10) {
      edges {
        node {
          id
          startedAt
          triggers {
            kind
            detail
          }
          lotsWithdrawn
        }
      }
    }
  }
`);
const shiftName = (bucket: string): string => bucket.slice(5, 16).replace('T', ' ');

/**
 * The plan of an order just published, as the matcher made it: its lots by factory and shift, when
 * the last finishes against the due shift, what is not placed yet, and how many other lots moved
 * for it. Live: a rejection's re-plan shows as it happens.
 */
export function PublishedPlan({ t, workOrderId }: Pick<PageProps, 't'> & { workOrderId: string }) {
  const found = useLiveQuery(PUBLISHED_PLAN, { id: workOrderId }, POOL_CHANGES);
  const plan = found.data?.workOrder;
  if (plan === undefined || plan === null) return null;
  const { lots, finishAt, unplaced, moved } = planSummary(plan, found.data?.matcherRuns.edges ?? []);
  const late = finishAt !== undefined && Date.parse(finishAt) > Date.parse(plan.dueBucket) + SHIFT_MS;
  const process = (seq: number) => plan.routing.find((op) => op.seq === seq)?.process ?? String(seq);
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="published-plan"
      data-plan={plan.id}
      data-lots={lots.length}
      title={`${t('publishedPlan')} ${plan.id}`}
    >
      <Alert
        type={lots.length === 0 || unplaced > 0 || late ? 'warning' : 'success'}
        title={
          lots.length === 0
            ? t('planPending')
            : `${t('splitInto')} ${lots.length} ${t('lotsUnit')} · ${t('finishAt')} ${finishAt === undefined ? '—' : shiftName(finishAt)}（${t('due')} ${shiftName(new Date(Date.parse(plan.dueBucket) + SHIFT_MS).toISOString())}）`
        }
        description={[
          unplaced > 0 ? `${t('unplaced')} ${unplaced}` : '',
          moved === undefined ? '' : `${t('movedForIt')} ${moved}`,
        ]
          .filter((line) => line !== '')
          .join(' · ')}
      />
      {lots.length > 0 && (
        <Table
          data-testid="published-plan-lots"
          size="small"
          rowKey="id"
          pagination={false}
          style={{ marginTop: 8 }}
          dataSource={lots}
          columns={[
            { title: t('lots'), dataIndex: 'id' },
            { title: t('factory'), dataIndex: 'factoryId' },
            { title: t('shift'), render: (_: unknown, l: PlannedLot) => shiftName(l.bucket) },
            {
              title: t('process'),
              render: (_: unknown, l: PlannedLot) =>
                Array.from({ length: l.toSeq - l.fromSeq + 1 }, (_x, i) => process(l.fromSeq + i)).join(
                  ' → ',
                ),
            },
            { title: t('quantity'), dataIndex: 'quantity' },
            {
              title: t('status'),
              render: (_: unknown, l: PlannedLot) => <Tag>{lotStatusLabel(t, l.status)}</Tag>,
            },
          ]}
        />
      )}
    </Card>
  );
}
