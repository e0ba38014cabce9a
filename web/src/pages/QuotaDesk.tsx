import { Button, Form, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { Process } from '../gql/graphql';
import type { PageProps } from '../session';
import { bucketAt, shiftLabel, yuan } from '../session';
import { useAction } from '../useAction';
import { QUOTA_MARKET, quotasOf, termsText, type Quota } from '../quotaMarket';
import { QuotaPaymentCell } from './QuotaPayment';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';
import { useOwnFactories } from './CapacityCalendar';
import { processLabel } from '../labels';
import { YuanInput } from '../YuanInput';

interface Listing {
  factoryId: string;
  process: Process;
  startShift: number;
  shifts: number;
  minutes: number;
  pricePerMinute: number;
  releaseRefundPercent: number;
  releaseNoticeHours: number;
  expiryRefundPercent: number;
}

const UPCOMING_SHIFTS = 21;

const LIST_QUOTA = graphql(`
  mutation ListQuota($r: ListQuotaInput!) {
    listQuota(request: $r) {
      ...LedgerWrite
    }
  }
`);

/** A factory's quotas (工单额度): list future capacity for pre-sale, and see what sold and how much is used. */
export function QuotaDesk({ t }: PageProps) {
  const api = useApi();
  const factories = useOwnFactories();
  const market = useLiveQuery(QUOTA_MARKET, {}, POOL_CHANGES);
  const { run, banner, busy } = useAction(t);
  const [form] = Form.useForm<Listing>();
  const own = new Set(factories.map((f) => f.id));
  const mine = quotasOf(market.data).filter((q) => own.has(q.factoryId));
  const watchedFactoryId = Form.useWatch('factoryId', form) as string | undefined;
  const chosen = factories.find((f) => f.id === watchedFactoryId) ?? factories[0];
  const list = async (v: Listing) => {
    const quotaId = `Q-${new Date().toISOString().slice(2, 16).replace(/[-:T]/g, '')}-${crypto.randomUUID().slice(0, 4)}`;
    const now = Date.now();
    const ok = await run(
      () =>
        api.write(LIST_QUOTA, {
          r: {
            quotaId,
            factoryId: v.factoryId,
            process: v.process,
            windowStart: bucketAt(now, v.startShift),
            windowEnd: bucketAt(now, v.startShift + v.shifts - 1),
            minutes: v.minutes,
            pricePerMinute: v.pricePerMinute,
            terms: {
              releaseRefundPercent: v.releaseRefundPercent,
              releaseNoticeHours: v.releaseNoticeHours,
              expiryRefundPercent: v.expiryRefundPercent,
            },
          },
        }),
      quotaId,
    );
    if (ok) market.reload();
  };
  return (
    <>
      {banner}
      {chosen !== undefined && (
        <Form
          form={form}
          data-testid="quota-listing"
          layout="inline"
          style={{ marginBottom: 12, rowGap: 8 }}
          initialValues={{
            factoryId: chosen.id,
            process: chosen.processes[0]?.process,
            startShift: 1,
            shifts: 3,
            minutes: 240,
            pricePerMinute: chosen.processes[0]?.pricePerMinute,
            releaseRefundPercent: 100,
            releaseNoticeHours: 24,
            expiryRefundPercent: 0,
          }}
          onFinish={(v: Listing) => void list(v)}
        >
          <Form.Item label={t('factory')} name="factoryId">
            <Select style={{ width: 160 }} options={factories.map((f) => ({ value: f.id, label: f.id }))} />
          </Form.Item>
          <Form.Item label={t('process')} name="process">
            <Select
              style={{ width: 130 }}
              options={chosen.processes.map((p) => ({ value: p.process, label: p.process }))}
            />
          </Form.Item>
          <Form.Item label={t('windowStart')} name="startShift">
            <Select
              style={{ width: 150 }}
              options={Array.from({ length: UPCOMING_SHIFTS }, (_, n) => ({
                value: n,
                label: shiftLabel(bucketAt(Date.now(), n)),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('windowShifts')} name="shifts">
            <InputNumber min={1} max={21} />
          </Form.Item>
          <Form.Item label={t('quotaMinutes')} name="minutes" rules={[{ required: true }]}>
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item label={t('price')} name="pricePerMinute" rules={[{ required: true }]}>
            <YuanInput />
          </Form.Item>
          <Form.Item label={t('releaseRefundPercent')} name="releaseRefundPercent">
            <InputNumber min={0} max={100} />
          </Form.Item>
          <Form.Item label={t('releaseNoticeHours')} name="releaseNoticeHours">
            <InputNumber min={0} max={2160} />
          </Form.Item>
          <Form.Item label={t('expiryRefundPercent')} name="expiryRefundPercent">
            <InputNumber min={0} max={100} />
          </Form.Item>
          <Button loading={busy} type="primary" htmlType="submit">
            {t('listQuota')}
          </Button>
        </Form>
      )}
      <Table
        data-testid="my-quotas"
        size="small"
        rowKey="id"
        scroll={{ x: true }}
        dataSource={mine}
        columns={[
          { title: 'ID', dataIndex: 'id' },
          { title: t('factory'), dataIndex: 'factoryId' },
          { title: t('process'), dataIndex: 'process', render: (p: string) => processLabel(t, p) },
          {
            title: t('window'),
            render: (_: unknown, q: Quota) => `${shiftLabel(q.windowStart)} – ${shiftLabel(q.windowEnd)}`,
          },
          { title: t('quotaMinutes'), dataIndex: 'minutes' },
          { title: t('usedMinutes'), dataIndex: 'consumedMinutes' },
          { title: t('price'), render: (_: unknown, q: Quota) => yuan(q.pricePerMinute) },
          { title: t('quotaTerms'), render: (_: unknown, q: Quota) => termsText(t, q) },
          {
            title: t('quotaPayment'),
            render: (_: unknown, q: Quota) => (
              <QuotaPaymentCell t={t} quota={q} side="factory" onChanged={market.reload} />
            ),
          },
          {
            title: t('status'),
            render: (_: unknown, q: Quota) => (
              <Space>
                <Tag color={q.status === 'SOLD' ? 'blue' : q.status === 'LISTED' ? 'green' : 'default'}>
                  {t(q.status)}
                </Tag>
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
