import { explainError } from '../i18n';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { ApiError, useApi } from '../api';
import { graphql } from '../gql';
import type { MatcherRunsQuery, Process, WhatIfQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { bucketInHours, shiftLabel } from '../session';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { triggerLabel } from '../labels';
import { YuanInput } from '../YuanInput';

const MATCHER_RUNS = graphql(`
  query MatcherRuns {
    matcherRuns(first: 10) {
      edges {
        node {
          id
          startedAt
          millis
          triggers {
            kind
            detail
          }
          lotsAdded
          lotsWithdrawn
          unplacedUnits
          cost {
            total
          }
          error
        }
      }
    }
  }
`);
const FACTORIES = graphql(`
  query MatcherFactories {
    factories {
      id
      name
      processes {
        process
      }
    }
  }
`);
const WHAT_IF = graphql(`
  query WhatIf(
    $kind: String!
    $quantity: Int
    $routing: [OperationInput!]
    $dueBucket: String
    $maxUnitPrice: SafeInt
    $factoryId: String
    $from: String
    $workOrderId: String
    $delayHours: Float
  ) {
    whatIf(
      kind: $kind
      quantity: $quantity
      routing: $routing
      dueBucket: $dueBucket
      maxUnitPrice: $maxUnitPrice
      factoryId: $factoryId
      from: $from
      workOrderId: $workOrderId
      delayHours: $delayHours
    ) {
      impact {
        rushLots {
          factoryId
          bucket
          quantity
          seq
        }
        moved {
          before {
            workOrderId
            factoryId
            bucket
          }
        }
        slipped {
          workOrderId
          fromBucket
          toBucket
        }
        costDelta
      }
      millis
    }
  }
`);
type Run = MatcherRunsQuery['matcherRuns']['edges'][number]['node'];
type Impact = WhatIfQuery['whatIf'];
type Kind = 'RUSH_ORDER' | 'FACTORY_OUTAGE' | 'MATERIAL_DELAY';

export default function Matcher({ t }: PageProps) {
  const api = useApi();
  const runs = useLiveQuery(MATCHER_RUNS, {}, POOL_CHANGES);
  const factories = useLiveQuery(FACTORIES, {});
  const [kind, setKind] = useState<Kind>('RUSH_ORDER');
  const [impact, setImpact] = useState<Impact | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const evaluate = async (v: {
    process?: Process;
    minutes?: number;
    quantity?: number;
    dueHours?: number;
    maxUnitPrice?: number;
    factoryId?: string;
    workOrderId?: string;
    delayHours?: number;
  }) => {
    const due = bucketInHours(v.dueHours ?? 24);
    const variables =
      kind === 'RUSH_ORDER'
        ? {
            quantity: v.quantity,
            // Left empty, the api's refusal names what to fill.
            routing:
              v.process === undefined
                ? null
                : [{ seq: 1, process: v.process, standardMinutes: v.minutes ?? 0 }],
            dueBucket: due,
            maxUnitPrice: v.maxUnitPrice,
          }
        : kind === 'FACTORY_OUTAGE'
          ? { factoryId: v.factoryId, from: new Date().toISOString() }
          : { workOrderId: v.workOrderId, delayHours: v.delayHours };
    try {
      const data = await api.query(WHAT_IF, { kind, ...variables });
      setImpact(data.whatIf);
      setFailure(undefined);
    } catch (e) {
      setFailure(e instanceof ApiError ? explainError(t, e.code, e.message) : String(e));
    }
  };
  return (
    <>
      <Typography.Title level={3}>{t('runs')}</Typography.Title>
      {runs.error !== undefined && <Alert type="error" title={`${t('loadFailed')}${runs.error}`} />}
      <Table
        data-testid="matcher-runs"
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: true }}
        dataSource={(runs.data?.matcherRuns.edges ?? []).map((e) => e.node)}
        columns={[
          { title: '#', dataIndex: 'id' },
          { title: t('shift'), render: (_: unknown, r: Run) => r.startedAt.slice(5, 19).replace('T', ' ') },
          {
            title: t('trigger'),
            render: (_: unknown, r: Run) =>
              r.triggers.map((x) => (
                <Tag key={x.kind + x.detail} title={x.kind}>
                  {triggerLabel(t, x.kind)}
                </Tag>
              )),
          },
          { title: t('added'), dataIndex: 'lotsAdded' },
          { title: t('moved'), dataIndex: 'lotsWithdrawn' },
          { title: t('unplaced'), dataIndex: 'unplacedUnits' },
          {
            title: t('cost'),
            render: (_: unknown, r: Run) => (r.cost === null ? r.error : (r.cost.total / 100).toFixed(0)),
          },
          { title: 'ms', dataIndex: 'millis' },
        ]}
      />
      <Typography.Title level={3} style={{ marginTop: 24 }}>
        {t('sandbox')}
      </Typography.Title>
      <Card>
        <Segmented<Kind>
          value={kind}
          onChange={(k) => {
            setKind(k);
            setImpact(undefined);
          }}
          options={[
            { label: t('whatIfRush'), value: 'RUSH_ORDER' },
            { label: t('whatIfOutage'), value: 'FACTORY_OUTAGE' },
            { label: t('whatIfDelay'), value: 'MATERIAL_DELAY' },
          ]}
        />
        <Form
          layout="inline"
          style={{ marginTop: 16, rowGap: 8 }}
          initialValues={{
            process: 'CNC',
            minutes: 2,
            quantity: 200,
            dueHours: 24,
            maxUnitPrice: 800,
            delayHours: 10,
          }}
          onFinish={(v: Parameters<typeof evaluate>[0]) => void evaluate(v)}
        >
          {kind === 'RUSH_ORDER' && (
            <>
              <Form.Item label={t('process')} name="process">
                <Select
                  style={{ width: 130 }}
                  options={['INJECTION', 'CNC', 'PAINTING', 'ASSEMBLY', 'SMT', 'WIRE_HARNESS'].map((p) => ({
                    value: p,
                    label: p,
                  }))}
                />
              </Form.Item>
              <Form.Item label={t('minutesPerUnit')} name="minutes">
                <InputNumber min={0.01} />
              </Form.Item>
              <Form.Item label={t('quantity')} name="quantity">
                <InputNumber min={1} />
              </Form.Item>
              <Form.Item label={`${t('due')} (+${t('hours')})`} name="dueHours">
                <InputNumber min={1} />
              </Form.Item>
              <Form.Item label={t('maxUnitPrice')} name="maxUnitPrice">
                <YuanInput min={1} />
              </Form.Item>
            </>
          )}
          {kind === 'FACTORY_OUTAGE' && (
            <Form.Item label={t('factory')} name="factoryId" rules={[{ required: true }]}>
              <Select
                style={{ width: 220 }}
                options={(factories.data?.factories ?? []).map((f) => ({
                  value: f.id,
                  label: `${f.id} ${f.name}`,
                }))}
              />
            </Form.Item>
          )}
          {kind === 'MATERIAL_DELAY' && (
            <>
              <Form.Item label={t('workOrder')} name="workOrderId" rules={[{ required: true }]}>
                <Input style={{ width: 200 }} />
              </Form.Item>
              <Form.Item label={t('delayHours')} name="delayHours">
                <InputNumber min={1} />
              </Form.Item>
            </>
          )}
          <Button type="primary" htmlType="submit">
            {t('evaluate')}
          </Button>
        </Form>
        {failure !== undefined && (
          <Alert style={{ marginTop: 16 }} type="error" title={`${t('actionFailed')}${failure}`} />
        )}
        {impact !== undefined && (
          <Space orientation="vertical" style={{ marginTop: 16, width: '100%' }} data-testid="what-if-impact">
            <Typography.Text>
              {t('costDelta')}: {(impact.impact.costDelta / 100).toFixed(0)} · {impact.millis} ms
            </Typography.Text>
            {impact.impact.rushLots.length > 0 && (
              <div>
                {t('impactLots')}:{' '}
                {impact.impact.rushLots.map((l) => (
                  <Tag color="red" key={`${l.factoryId}${l.bucket}${l.seq}`}>
                    {l.factoryId} {shiftLabel(l.bucket)} ×{l.quantity}
                  </Tag>
                ))}
              </div>
            )}
            <div>
              {t('impactMoved')}: {impact.impact.moved.length}{' '}
              {impact.impact.moved.slice(0, 20).map((m, i) => (
                <Tag key={i}>
                  {m.before.workOrderId} @ {m.before.factoryId}
                </Tag>
              ))}
            </div>
            <div>
              {t('impactSlipped')}:{' '}
              {impact.impact.slipped.map((s) => (
                <Tag color="orange" key={s.workOrderId}>
                  {s.workOrderId}: {shiftLabel(s.fromBucket)} →{' '}
                  {s.toBucket === null ? '—' : shiftLabel(s.toBucket)}
                </Tag>
              ))}
            </div>
          </Space>
        )}
      </Card>
    </>
  );
}
