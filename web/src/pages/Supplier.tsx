import { Alert, Button, Card, Form, InputNumber, Select, Input, Table, Tag, Typography } from 'antd';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { DemandForecastQuery, MaterialNeedsQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { processLabel } from '../labels';
import { useAction } from '../useAction';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';

const MATERIAL_NEEDS = graphql(`
  query MaterialNeeds {
    myMaterialNeeds {
      workOrderId
      materialCode
      quantity
      dueBucket
      expectedAt
      delayReason
    }
  }
`);
const DEMAND_FORECAST = graphql(`
  query DemandForecast {
    demandForecast {
      process
      day
      hours
    }
  }
`);
const REPORT_SUPPLY_DELAY = graphql(`
  mutation ReportSupplyDelay($r: ReportSupplyDelayInput!) {
    reportSupplyDelay(report: $r) {
      workOrderId
      expectedAt
    }
  }
`);
type Need = MaterialNeedsQuery['myMaterialNeeds'][number];
type Forecast = DemandForecastQuery['demandForecast'][number];

/** A supplier's slice: what its material is needed for, when; its delays; a blurred forecast. */
export default function Supplier({ t }: PageProps) {
  const api = useApi();
  const needs = useLiveQuery(MATERIAL_NEEDS, {}, POOL_CHANGES);
  const forecast = useLiveQuery(DEMAND_FORECAST, {});
  const { run, banner, busy } = useAction(t);
  const report = async (v: { need: string; delayHours: number; reason: string }) => {
    const [workOrderId, materialCode] = v.need.split('|');
    if (
      await run(
        () =>
          api.write(REPORT_SUPPLY_DELAY, {
            // Left empty, the api's refusal names the field to fill.
            r: {
              workOrderId: workOrderId ?? '',
              materialCode: materialCode ?? '',
              delayHours: v.delayHours,
              reason: v.reason,
            },
          }),
        `${workOrderId ?? ''} ${materialCode ?? ''} +${v.delayHours} ${t('hours')}`,
      )
    )
      needs.reload();
  };
  const list = needs.data?.myMaterialNeeds ?? [];
  return (
    <>
      <Typography.Title level={3}>{t('materialNeeds')}</Typography.Title>
      {needs.error !== undefined && <Alert type="error" title={`${t('loadFailed')}${needs.error}`} />}
      <Table
        data-testid="material-needs"
        size="small"
        rowKey={(n) => `${n.workOrderId}${n.materialCode}`}
        pagination={false}
        dataSource={list}
        columns={[
          { title: t('workOrder'), dataIndex: 'workOrderId' },
          { title: t('material'), dataIndex: 'materialCode' },
          { title: t('quantity'), dataIndex: 'quantity' },
          { title: t('due'), render: (_: unknown, n: Need) => shiftLabel(n.dueBucket) },
          {
            title: t('commitment'),
            render: (_: unknown, n: Need) =>
              n.expectedAt === null ? (
                <Tag color="green">{t('deliveryOnTime')}</Tag>
              ) : (
                <Tag color="orange" title={n.delayReason ?? ''}>
                  {t('expectedBy')} {n.expectedAt.slice(5, 16).replace('T', ' ')}
                </Tag>
              ),
          },
        ]}
      />
      <Card title={t('reportDelay')} style={{ marginTop: 16 }}>
        {banner}
        <Form
          layout="inline"
          initialValues={{ delayHours: 10, reason: '' }}
          onFinish={(v: Parameters<typeof report>[0]) => void report(v)}
          style={{ rowGap: 8 }}
        >
          <Form.Item label={t('material')} name="need" rules={[{ required: true }]}>
            <Select
              style={{ width: 260 }}
              options={list.map((n) => ({
                value: `${n.workOrderId}|${n.materialCode}`,
                label: `${n.materialCode} → ${n.workOrderId}`,
              }))}
            />
          </Form.Item>
          <Form.Item label={t('delayHours')} name="delayHours">
            <InputNumber min={0.5} max={1440} />
          </Form.Item>
          <Form.Item label={t('cause')} name="reason" rules={[{ required: true }]}>
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('reportDelay')}
          </Button>
        </Form>
      </Card>
      <Typography.Title level={3} style={{ marginTop: 16 }}>
        {t('forecast')}
      </Typography.Title>
      <Table
        size="small"
        rowKey={(f) => `${f.process}${f.day}`}
        pagination={false}
        dataSource={forecast.data?.demandForecast ?? []}
        locale={{ emptyText: t('forecastEmpty') }}
        columns={[
          { title: t('process'), render: (_: unknown, f: Forecast) => processLabel(t, f.process) },
          { title: t('dueDay'), dataIndex: 'day' },
          { title: t('standardHours'), dataIndex: 'hours' },
        ]}
      />
    </>
  );
}
