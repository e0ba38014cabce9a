import { explainError } from '../i18n';
import { Alert, AutoComplete, Button, Card, Form, Input, InputNumber, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useOrganisationName } from '../organisations';
import { ApiError, useApi } from '../api';
import { graphql } from '../gql';
import type {
  Process,
  PublishForesightQuery,
  PublishWorkOrderInput,
  WorkOrderTemplateQuery,
} from '../gql/graphql';
import type { PageProps } from '../session';
import { bucketInHours, PROCESSES, shiftLabel, yuan } from '../session';
import { PublishedPlan } from './PublishedPlan';
import { useLiveQuery } from '../useLiveQuery';
import { processLabel } from '../labels';
import { YuanInput } from '../YuanInput';

type StandardConsumption = NonNullable<PublishWorkOrderInput['routing'][number]['material']>;
/** What the form holds while the planner types: a cleared number field holds null. */
type ConsumptionDraft = Partial<Omit<StandardConsumption, 'perUnit'>> & { perUnit?: number | null };

/** Units of measure a planner picks from for a standard consumption (any other may be typed). */
const MATERIAL_UNITS = ['kg', 'g', 'm', 'mm', 'm²', 'L', '片', '件', '张', '卷'];

/** An operation's standard consumption as the form holds it: sent only when all three are given. */
function consumptionOf(material: ConsumptionDraft | undefined): StandardConsumption | undefined {
  const materialCode = material?.materialCode?.trim() ?? '';
  const unit = material?.unit?.trim() ?? '';
  const perUnit = material?.perUnit;
  if (materialCode === '' || unit === '' || perUnit === undefined || perUnit === null || perUnit <= 0)
    return undefined;
  return { materialCode, unit, perUnit };
}

interface Values {
  partNumber: string;
  quantity: number;
  dueHours: number;
  priority: PublishWorkOrderInput['priority'];
  maxUnitPrice: number;
  routing: (Omit<PublishWorkOrderInput['routing'][number], 'seq' | 'material'> & {
    material?: ConsumptionDraft;
  })[];
  materials?: {
    materialCode: string;
    supplierMspId: string;
    quantity: number;
    backupSupplierMspId?: string;
    leadTimeHours?: number;
    extraCostPerUnit?: number;
  }[];
}
const SUPPLIERS = graphql(`
  query SupplierOrganisations {
    supplierOrganisations
  }
`);
const WORK_ORDER_TEMPLATE = graphql(`
  query WorkOrderTemplate($p: String!) {
    workOrderTemplate(partNumber: $p) {
      family
      fromWorkOrderId
      ordersInFamily
      routingUsedBy
      operations {
        seq
        process
        standardMinutes
        source
        measuredLots
        lastOrderMinutes
        bestFactory {
          factoryId
          minutesPerUnit
          firstPassYield
          lots
        }
        material {
          materialCode
          unit
          perUnit
        }
        materialSource
        materialMeasuredLots
        lastOrderPerUnit
      }
      routing {
        seq
        process
        standardMinutes
        material {
          materialCode
          unit
          perUnit
        }
      }
      maxUnitPrice
      factoryIds
    }
  }
`);
const PUBLISH_WORK_ORDER = graphql(`
  mutation PublishWorkOrder($r: PublishWorkOrderInput!) {
    publishWorkOrder(request: $r) {
      ...LedgerWrite
    }
  }
`);
type Template = NonNullable<WorkOrderTemplateQuery['workOrderTemplate']>;

/** Where an operation's proposed standard time came from, and who did it best. */
function templateLine(t: PageProps['t'], op: Template['operations'][number]): string {
  const source =
    op.source === 'MEASURED_MEDIAN'
      ? `${t('measuredMedian')} ${op.measuredLots} ${t('lotsUnit')}（${t('lastOrderSaid')} ${op.lastOrderMinutes}）`
      : t('fromLastOrder');
  const best =
    op.bestFactory === null
      ? ''
      : ` · ${t('bestFactory')} ${op.bestFactory.factoryId}（${op.bestFactory.minutesPerUnit} ${t('minutesPerUnitShort')}，${t('firstPassYield')} ${Math.round(op.bestFactory.firstPassYield * 100)}%）`;
  return `${t('seq')} ${op.seq} ${processLabel(t, op.process)}: ${op.standardMinutes} ${t('minutesPerUnitShort')} · ${source}${best}${consumptionLine(t, op)}`;
}

/** Where a template's standard consumption comes from, as the line goes on: measured, or the last order's. */
function consumptionLine(t: PageProps['t'], op: Template['operations'][number]): string {
  const material = op.material ?? undefined;
  if (material === undefined) return '';
  const { materialCode, perUnit, unit } = material;
  const source =
    op.materialSource === 'MEASURED_MEDIAN'
      ? `${t('measuredMedian')} ${String(op.materialMeasuredLots ?? 0)} ${t('lotsUnit')}（${t('lastOrderSaid')} ${String(op.lastOrderPerUnit ?? '')}）`
      : t('fromLastOrder');
  return ` · ${t('materialShort')} ${materialCode} ${perUnit} ${unit}${t('perPiece')} · ${source}`;
}

/** A material row of the form as the ledger takes it: due at the first shift, its backup if named. */
function materialNeed(m: NonNullable<Values['materials']>[number], v: Values) {
  return {
    materialCode: m.materialCode.trim(),
    supplierMspId: m.supplierMspId,
    quantity: m.quantity,
    // Material is due by the first shift the work could start in.
    dueBucket: bucketInHours(8),
    ...(m.backupSupplierMspId === undefined || m.backupSupplierMspId === m.supplierMspId
      ? {}
      : {
          backups: [
            {
              supplierMspId: m.backupSupplierMspId,
              leadTimeHours: m.leadTimeHours ?? Math.min(24, v.dueHours),
              extraCostPerUnit: m.extraCostPerUnit ?? 0,
            },
          ],
        }),
  };
}

const FORESIGHT = graphql(`
  query PublishForesight(
    $quantity: Int!
    $routing: [OperationInput!]!
    $dueBucket: String!
    $maxUnitPrice: SafeInt!
    $priority: String!
  ) {
    whatIf(
      kind: "RUSH_ORDER"
      quantity: $quantity
      routing: $routing
      dueBucket: $dueBucket
      maxUnitPrice: $maxUnitPrice
      priority: $priority
    ) {
      impact {
        rushLots {
          factoryId
          bucket
          quantity
          seq
          unitPrice
        }
        moved {
          before {
            workOrderId
          }
        }
        slipped {
          workOrderId
        }
        unplaced {
          workOrderId
          quantity
        }
        movedOthers
        slippedOthers
        costDelta
      }
      millis
    }
  }
`);
type Foresight = PublishForesightQuery['whatIf']['impact'];
/** The id the what-if gives the order it is asked about (api/src/matching/sandbox.ts). */
const SANDBOX_ORDER = 'WHAT-IF-RUSH';

/** What the matcher would make of the order as it stands in the form, asked a moment after typing stops. */
function useForesight(values: Partial<Values> | undefined): { impact?: Foresight; lastSeq: number } {
  const api = useApi();
  const [impact, setImpact] = useState<Foresight | undefined>();
  // While a person types, an operation may be half filled in.
  const typed = (values?.routing ?? []) as (
    Partial<{ process: Process; standardMinutes: number }> | undefined
  )[];
  const routing = typed.filter(
    (op): op is { process: Process; standardMinutes: number } =>
      op?.process !== undefined && typeof op.standardMinutes === 'number' && op.standardMinutes > 0,
  );
  const key = JSON.stringify([
    values?.quantity,
    routing,
    values?.dueHours,
    values?.maxUnitPrice,
    values?.priority,
  ]);
  useEffect(() => {
    const quantity = values?.quantity;
    if (
      typeof quantity !== 'number' ||
      quantity < 1 ||
      routing.length === 0 ||
      typeof values?.maxUnitPrice !== 'number'
    ) {
      setImpact(undefined);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      api
        .query(FORESIGHT, {
          quantity,
          routing: routing.map((op, i) => ({
            seq: i + 1,
            process: op.process,
            standardMinutes: op.standardMinutes,
          })),
          dueBucket: bucketInHours(values.dueHours ?? 48),
          maxUnitPrice: values.maxUnitPrice ?? 1,
          priority: values.priority ?? 'NORMAL',
        })
        .then((d) => {
          if (current) setImpact(d.whatIf.impact);
        })
        .catch(() => {
          if (current) setImpact(undefined);
        });
    }, 700);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The key stands for every value the question depends on.
  }, [key]);
  return { impact, lastSeq: routing.length };
}

/** The foresight beside the form: the lots, the finish shift, the processing cost, what else moves for it. */
function ForesightCard({
  t,
  impact,
  lastSeq,
}: Pick<PageProps, 't'> & { impact: Foresight; lastSeq: number }) {
  const lots = impact.rushLots;
  const finish = lots
    .filter((l) => l.seq === lastSeq)
    .map((l) => l.bucket)
    .sort()
    .at(-1);
  const cost = lots.reduce((sum, l) => sum + l.quantity * (l.unitPrice ?? 0), 0);
  const unplaced = impact.unplaced.reduce((sum, u) => sum + u.quantity, 0);
  const plants = [...new Set(lots.map((l) => l.factoryId))];
  // Other customers' orders are only counted; its own would slip only if the order asked were late.
  const moved = impact.moved.length + impact.movedOthers;
  const slipped = impact.slipped.filter((s) => s.workOrderId !== SANDBOX_ORDER).length + impact.slippedOthers;
  return (
    <Alert
      data-testid="publish-foresight"
      style={{ marginBottom: 12 }}
      type={unplaced > 0 ? 'warning' : 'info'}
      title={t('foresight')}
      description={
        <Space orientation="vertical" size={0}>
          <span>
            {t('foresightLots')
              .replace('{{lots}}', String(lots.length))
              .replace('{{plants}}', plants.join('、') || '—')}
          </span>
          <span>
            {t('foresightFinish')} {finish === undefined ? '—' : shiftLabel(finish)} · {t('foresightCost')}{' '}
            {yuan(cost)}
          </span>
          {unplaced > 0 && <span>{t('foresightUnplaced').replace('{{units}}', String(unplaced))}</span>}
          {moved + slipped > 0 && (
            <span>
              {t('foresightMoves')
                .replace('{{moved}}', String(moved))
                .replace('{{slipped}}', String(slipped))}
            </span>
          )}
        </Space>
      }
    />
  );
}

/** A new order's id and the request id that publishes it. */
const newDraft = () => ({
  workOrderId: `WO-${new Date().toISOString().slice(2, 19).replace(/[-:T]/g, '')}-${crypto.randomUUID().slice(0, 4)}`,
  requestId: `publish-${crypto.randomUUID()}`,
});

/**
 * An operation's standard consumption (标准单耗), optional: the material it uses, how much of it one
 * piece takes and in what unit. Given one, the form asks for all three — a report is then measured
 * against it, and the shop floor says how much it used.
 */
function StandardConsumptionFields({
  t,
  name,
  index,
}: Pick<PageProps, 't'> & { name: number; index: number }) {
  const form = Form.useFormInstance<Values>();
  const given = (): boolean => {
    const m = form.getFieldValue(['routing', name, 'material']) as ConsumptionDraft | undefined;
    return (m?.materialCode ?? '').trim() !== '' || (m?.unit ?? '').trim() !== '' || m?.perUnit != null;
  };
  const allOrNone = {
    validator: (_: unknown, value: unknown) =>
      given() && (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
        ? Promise.reject(new Error(t('consumptionAllThree')))
        : Promise.resolve(),
  };
  const deps = [
    ['routing', name, 'material', 'materialCode'],
    ['routing', name, 'material', 'perUnit'],
    ['routing', name, 'material', 'unit'],
  ];
  return (
    <Space align="baseline" wrap>
      <Form.Item name={[name, 'material', 'materialCode']} rules={[allOrNone]} dependencies={deps}>
        <Input
          aria-label={`${t('consumptionMaterial')} ${index}`}
          placeholder={t('consumptionMaterial')}
          style={{ width: 150 }}
        />
      </Form.Item>
      <Form.Item name={[name, 'material', 'perUnit']} rules={[allOrNone]} dependencies={deps}>
        <InputNumber
          aria-label={`${t('consumptionPerUnit')} ${index}`}
          placeholder={t('consumptionPerUnit')}
          min={0.001}
          step={0.01}
          suffix={t('perPiece')}
          style={{ width: 130 }}
        />
      </Form.Item>
      <Form.Item name={[name, 'material', 'unit']} rules={[allOrNone]} dependencies={deps}>
        <AutoComplete
          aria-label={`${t('consumptionUnit')} ${index}`}
          placeholder={t('consumptionUnit')}
          style={{ width: 90 }}
          options={MATERIAL_UNITS.map((u) => ({ value: u }))}
        />
      </Form.Item>
    </Space>
  );
}

/** Publishing a work order, with the routing and standard times filled from the part family's history. */
export function PublishForm({ t, onPublished }: PageProps & { onPublished: () => void }) {
  const api = useApi();
  const [form] = Form.useForm<Values>();
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const foresight = useForesight(watched);
  const [template, setTemplate] = useState<Template | undefined>();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const [published, setPublished] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const suppliers = useLiveQuery(SUPPLIERS, {}).data?.supplierOrganisations ?? [];
  const nameOf = useOrganisationName();
  const supplierOptions = suppliers.map((m) => ({ value: m, label: nameOf(m) }));
  const prefill = async (partNumber: string) => {
    if (partNumber.trim() === '') return;
    const d = await api
      .query(WORK_ORDER_TEMPLATE, { p: partNumber })
      .catch(() => ({ workOrderTemplate: null }));
    const found = d.workOrderTemplate ?? undefined;
    setTemplate(found);
    if (found !== undefined)
      form.setFieldsValue({
        routing: found.routing.map((op) => ({
          process: op.process,
          standardMinutes: op.standardMinutes,
          material: op.material ?? undefined,
        })),
        maxUnitPrice: found.maxUnitPrice,
      });
  };
  // Made when the form opens, kept until the order is published: sending it again after an answer
  // that never arrived is answered with the first result, not published twice.
  const [draft, setDraft] = useState(newDraft);
  const publish = async (v: Values) => {
    const dueBucket = bucketInHours(v.dueHours);
    const { workOrderId, requestId } = draft;
    setBusy(true);
    try {
      await api.write(PUBLISH_WORK_ORDER, {
        r: {
          requestId,
          workOrderId,
          partNumber: v.partNumber.trim(),
          quantity: v.quantity,
          routing: v.routing.map((op, i) => {
            const material = consumptionOf(op.material);
            return {
              seq: i + 1,
              process: op.process,
              standardMinutes: op.standardMinutes,
              ...(material === undefined ? {} : { material }),
            };
          }),
          dueBucket,
          priority: v.priority,
          maxUnitPrice: v.maxUnitPrice,
          ...((v.materials ?? []).length === 0
            ? {}
            : { materials: (v.materials ?? []).map((m) => materialNeed(m, v)) }),
        },
      });
      setMessage({ ok: true, text: `${t('published')}: ${workOrderId}` });
      setPublished(workOrderId);
      // A fresh form, with new ids, for the next order.
      form.resetFields();
      setDraft(newDraft());
      setTemplate(undefined);
      onPublished();
    } catch (e) {
      setMessage({
        ok: false,
        text: `${t('actionFailed')}${e instanceof ApiError ? explainError(t, e.code, e.message) : String(e)}`,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('publish')} style={{ marginTop: 16 }} data-testid="publish-form">
      {message !== undefined && (
        <Alert style={{ marginBottom: 12 }} type={message.ok ? 'success' : 'error'} title={message.text} />
      )}
      {published !== undefined && <PublishedPlan t={t} workOrderId={published} />}
      {foresight.impact !== undefined && (
        <ForesightCard t={t} impact={foresight.impact} lastSeq={foresight.lastSeq} />
      )}
      {template !== undefined && (
        <Alert
          data-testid="template"
          style={{ marginBottom: 12 }}
          type="info"
          title={`${t('template')}${template.fromWorkOrderId} · ${t('routingUsedBy')} ${template.routingUsedBy}/${template.ordersInFamily}`}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="template-operations">
              {template.operations.map((op) => (
                <li key={op.seq}>{templateLine(t, op)}</li>
              ))}
            </ul>
          }
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          quantity: 100,
          dueHours: 48,
          priority: 'NORMAL',
          maxUnitPrice: 1000,
          routing: [{ process: 'CNC', standardMinutes: 1 }],
        }}
        onFinish={(v: Values) => void publish(v)}
      >
        <Space wrap>
          <Form.Item label={t('part')} name="partNumber" rules={[{ required: true }]}>
            <Input style={{ width: 200 }} onBlur={(e) => void prefill(e.target.value)} />
          </Form.Item>
          <Form.Item label={t('quantity')} name="quantity" rules={[{ required: true }]}>
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item label={t('dueInHours')} name="dueHours">
            <InputNumber min={8} />
          </Form.Item>
          <Form.Item label={t('priority')} name="priority">
            <Select
              style={{ width: 110 }}
              options={[
                { value: 'NORMAL', label: t('normal') },
                { value: 'RUSH', label: t('rush') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('maxUnitPrice')} name="maxUnitPrice">
            <YuanInput min={1} />
          </Form.Item>
        </Space>
        <Form.List name="routing">
          {(fields, { add, remove }) => (
            <div data-testid="publish-routing">
              {fields.map((field, i) => (
                <Space key={field.key} align="baseline" wrap style={{ display: 'flex' }}>
                  <span>
                    {t('seq')} {i + 1}
                  </span>
                  <Form.Item name={[field.name, 'process']} rules={[{ required: true }]}>
                    <Select
                      aria-label={`${t('process')} ${i + 1}`}
                      style={{ width: 150 }}
                      options={PROCESSES.map((p) => ({ value: p, label: processLabel(t, p) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'standardMinutes']} rules={[{ required: true }]}>
                    <InputNumber
                      aria-label={`${t('minutesPerUnit')} ${i + 1}`}
                      min={0.01}
                      step={0.1}
                      suffix={t('minutesPerUnitShort')}
                      style={{ width: 120 }}
                    />
                  </Form.Item>
                  <StandardConsumptionFields t={t} name={field.name} index={i + 1} />
                  {fields.length > 1 && (
                    <Button
                      onClick={() => {
                        remove(field.name);
                      }}
                    >
                      −
                    </Button>
                  )}
                </Space>
              ))}
              <Button
                onClick={() => {
                  add({ process: 'PAINTING', standardMinutes: 1 });
                }}
              >
                {t('addOperation')}
              </Button>
            </div>
          )}
        </Form.List>
        <Form.List name="materials">
          {(fields, { add, remove }) => (
            <div style={{ marginTop: 12 }} data-testid="publish-materials">
              {fields.map((field, i) => (
                <Space key={field.key} align="baseline" wrap>
                  <span>
                    {t('materials')} {i + 1}
                  </span>
                  <Form.Item name={[field.name, 'materialCode']} rules={[{ required: true }]}>
                    <Input
                      aria-label={`${t('materialCode')} ${i + 1}`}
                      placeholder={t('materialCode')}
                      style={{ width: 150 }}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'supplierMspId']} rules={[{ required: true }]}>
                    <Select
                      aria-label={`${t('supplier')} ${i + 1}`}
                      placeholder={t('supplier')}
                      style={{ width: 130 }}
                      options={supplierOptions}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'quantity']} rules={[{ required: true }]}>
                    <InputNumber
                      aria-label={`${t('materialQuantity')} ${i + 1}`}
                      placeholder={t('quantity')}
                      min={0.01}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'backupSupplierMspId']}>
                    <Select
                      aria-label={`${t('backupSupplier')} ${i + 1}`}
                      placeholder={t('backupSupplier')}
                      allowClear
                      style={{ width: 140 }}
                      options={supplierOptions}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'leadTimeHours']}>
                    <InputNumber
                      aria-label={`${t('leadTimeHours')} ${i + 1}`}
                      placeholder={t('leadTimeHours')}
                      min={1}
                      style={{ width: 120 }}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'extraCostPerUnit']}>
                    <YuanInput
                      aria-label={`${t('extraCostPerUnit')} ${i + 1}`}
                      placeholder={t('extraCostPerUnit')}
                      style={{ width: 140 }}
                    />
                  </Form.Item>
                  <Button
                    onClick={() => {
                      remove(field.name);
                    }}
                  >
                    −
                  </Button>
                </Space>
              ))}
              <Button
                onClick={() => {
                  add({ quantity: form.getFieldValue('quantity') as number });
                }}
              >
                {t('addMaterial')}
              </Button>
            </div>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 12 }}>
          {t('publish')}
        </Button>
      </Form>
    </Card>
  );
}
