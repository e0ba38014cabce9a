import {
  Alert,
  Button,
  Col,
  Empty,
  Input,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  Typography,
} from 'antd';
import { downloadCsv } from '../csv';
import { PERIODS, periodOf, rangeOf, type PeriodChoice } from '../analyticsPeriod';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { useMemo, useState, type ReactNode } from 'react';
import { EChart, type ChartExport, type ChartOption } from '../EChart';
import { graphql } from '../gql';
import type { AnalyticsQuery } from '../gql/graphql';
import { useLiveQuery } from '../useLiveQuery';
import { processLabel } from '../labels';

const ANALYTICS = graphql(`
  query Analytics($customerMspId: String, $from: String, $to: String) {
    analytics(process: "CNC", customerMspId: $customerMspId, from: $from, to: $to) {
      cycleTimes {
        hours
        histogram {
          fromHours
          toHours
          count
        }
      }
      waitingByOperation {
        process
        seq
        meanMinutes
        samples
      }
      exceptionPareto {
        cause
        count
        cumulativeShare
      }
      materialVariance {
        byProcess {
          process
          input
          scrap
          scrapRate
        }
        byMaterial {
          materialCode
          unit
          process
          factoryId
          operations
          pieces
          standard
          used
          variance
          varianceRate
        }
      }
      controlChart {
        points {
          lotId
          minutesPerUnit
        }
        mean
        upperControlLimit
        lowerControlLimit
        outOfControl
      }
      factoryHealth {
        factoryId
        onTimeRate
        firstPassYield
        utilisation
        index
      }
      comparison {
        partNumber
        process
        factoryId
        team
        operations
        pieces
        minutesPerPiece
        standardMinutesPerPiece
        firstPassYield
      }
    }
  }
`);

const CUSTOMER_COMPANIES = graphql(`
  query CustomerCompanies {
    customerCompanies
  }
`);

type Analytics = AnalyticsQuery['analytics'];

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** An SPC individuals chart: each lot's minutes per unit, the mean and the control limits; points out of control in red. */
function controlChartOption(chart: Analytics['controlChart']): ChartOption {
  // The limits as flat dashed series: they stay in view and in the legend whatever the points do.
  const limit = (name: string, value: number, color: string) => ({
    type: 'line',
    name: `${name} ${value}`,
    data: chart.points.map(() => value),
    symbol: 'none',
    lineStyle: { color, type: 'dashed', width: 1 },
    itemStyle: { color },
  });
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 0 },
    grid: { left: 56, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: chart.points.map((p) => p.lotId.slice(-8)) },
    yAxis: { type: 'value', name: 'min/件' },
    series: [
      {
        type: 'line',
        name: 'min/件',
        data: chart.points.map((p) => ({
          value: p.minutesPerUnit,
          itemStyle: { color: chart.outOfControl.includes(p.lotId) ? '#cf1322' : '#1677ff' },
        })),
        symbolSize: 7,
        lineStyle: { color: '#8c8c8c' },
      },
      limit('UCL', chart.upperControlLimit, '#cf1322'),
      limit('x̄', chart.mean, '#1677ff'),
      limit('LCL', chart.lowerControlLimit, '#cf1322'),
    ],
  };
}

/** Exception causes by count, with the cumulative share (the Pareto line). */
function paretoOption(pareto: Analytics['exceptionPareto'], t: PageProps['t']): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 16, right: 16, top: 32, bottom: 8, outerBoundsMode: 'same' },
    xAxis: { type: 'category', data: pareto.map((p) => p.cause), axisLabel: { interval: 0, rotate: 20 } },
    yAxis: [
      { type: 'value', name: t('count'), minInterval: 1 },
      { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { type: 'bar', name: t('count'), data: pareto.map((p) => p.count), itemStyle: { color: '#fa8c16' } },
      {
        type: 'line',
        name: '∑%',
        yAxisIndex: 1,
        data: pareto.map((p) => Number((p.cumulativeShare * 100).toFixed(1))),
      },
    ],
  };
}

type Consumption = Analytics['materialVariance']['byMaterial'][number];

/** Each plant's material use against the standard, in %: red above it (material lost), green at or below. */
function consumptionOption(rows: readonly Consumption[], t: PageProps['t']): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 16, right: 16, top: 32, bottom: 8, outerBoundsMode: 'same' },
    xAxis: {
      type: 'category',
      data: rows.map((r) => `${r.materialCode} · ${processLabel(t, r.process)} · ${r.factoryId}`),
      axisLabel: { interval: 0, rotate: 20 },
    },
    yAxis: { type: 'value', name: t('usageVarianceRate'), axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 48,
        name: t('usageVarianceRate'),
        data: rows.map((r) => ({
          value: Number((r.varianceRate * 100).toFixed(2)),
          itemStyle: { color: r.varianceRate > 0 ? '#cf1322' : '#389e0d' },
        })),
      },
    ],
  };
}

const barOption = (labels: string[], values: number[], name: string, color: string): ChartOption => ({
  tooltip: { trigger: 'axis' },
  grid: { left: 48, right: 16, top: 24, bottom: 32 },
  xAxis: { type: 'category', data: labels },
  yAxis: { type: 'value', name },
  series: [{ type: 'bar', name, data: values, itemStyle: { color } }],
});

/** A table's figures as a CSV download: a header row, then one row per line shown. */
function CsvButton({
  t,
  name,
  rows,
  testId,
  label = 'exportChartCsv',
}: Pick<PageProps, 't'> & {
  name: string;
  rows: () => (readonly string[])[];
  testId: string;
  /** Where a chart beside it downloads its own figures, the table's says it is the details. */
  label?: MessageKey;
}) {
  return (
    <Button
      data-testid={testId}
      size="small"
      type="link"
      onClick={() => {
        downloadCsv(`${name}.csv`, rows());
      }}
    >
      {t(label)}
    </Button>
  );
}

/** A section title with its download on the right. */
function TitleWithExport({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Space style={{ display: 'flex', justifyContent: 'space-between' }} wrap>
      <Typography.Title level={4}>{title}</Typography.Title>
      {children}
    </Space>
  );
}

/** A chart, or — when there is nothing to draw — what it waits for, instead of an empty frame. */
function ChartOrWhy({
  t,
  empty,
  why,
  testId,
  children,
}: Pick<PageProps, 't'> & {
  empty: boolean;
  why: 'noDataSpc' | 'noDataPareto' | 'noDataCycle' | 'noDataWaiting' | 'noDataScrap' | 'noDataConsumption';
  testId: string;
  children: ReactNode;
}) {
  if (!empty) return children;
  return <Empty data-testid={`${testId}-empty`} image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(why)} />;
}

/**
 * The figures of what the viewer may see — a factory its own plants', a customer its own orders',
 * the overseers the whole alliance's or one customer company's: health ranking, exception Pareto,
 * the SPC chart, cycle times, scrap and waiting.
 */
export default function AnalyticsPage(props: PageProps) {
  const { t, session } = props;
  const oversees = session.role === 'operator' || session.role === 'auditor';
  const [company, setCompany] = useState<string | undefined>();
  const [period, setPeriod] = useState<PeriodChoice>('ALL');
  // A range starts as the last 30 days, today included: figures at once, then the manager adjusts.
  const [days, setDays] = useState(() => {
    const today = new Date();
    const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29);
    return { first: dayText(first), last: dayText(today) };
  });
  // The period's instants are fixed when it is chosen (not each render: the query would change).
  const range = useMemo(
    () => (period === 'RANGE' ? rangeOf(days.first, days.last) : periodOf(period, new Date())),
    [period, days],
  );
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }} size={16}>
        <Segmented
          aria-label={t('period')}
          data-testid="analytics-period"
          value={period}
          options={PERIODS.map((p) => ({ value: p, label: t(`period.${p}`) }))}
          onChange={(value) => {
            setPeriod(value);
          }}
        />
        {period === 'RANGE' && (
          <Space>
            <Input
              type="date"
              aria-label={t('rangeFirstDay')}
              value={days.first}
              onChange={(e) => {
                setDays((d) => ({ ...d, first: e.target.value }));
              }}
            />
            <span>–</span>
            <Input
              type="date"
              aria-label={t('rangeLastDay')}
              value={days.last}
              onChange={(e) => {
                setDays((d) => ({ ...d, last: e.target.value }));
              }}
            />
          </Space>
        )}
        {oversees && <CompanyChoice t={t} company={company} onChange={setCompany} />}
      </Space>
      {typeof range === 'string' ? (
        <Alert type="warning" data-testid="range-invalid" title={t(`range.${range}`)} />
      ) : (
        <Figures {...props} company={company} range={range} />
      )}
    </>
  );
}

/** The overseers' choice of whose figures: the whole alliance, or one customer company. */
function CompanyChoice({
  t,
  company,
  onChange,
}: Pick<PageProps, 't'> & { company: string | undefined; onChange: (company: string | undefined) => void }) {
  const companies = useLiveQuery(CUSTOMER_COMPANIES, {}).data?.customerCompanies ?? [];
  return (
    <Space>
      <Typography.Text>{t('figuresOf')}</Typography.Text>
      <Select
        aria-label={t('figuresOf')}
        style={{ minWidth: 240 }}
        value={company ?? ''}
        onChange={(value: string) => {
          onChange(value === '' ? undefined : value);
        }}
        options={[
          { value: '', label: t('wholeAlliance') },
          ...companies.map((c) => ({ value: c, label: `${t('customerCompany')} ${c}` })),
        ]}
      />
    </Space>
  );
}

/** A local date as a date field shows it: YYYY-MM-DD. */
const dayText = (d: Date): string =>
  `${String(d.getFullYear())}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function Figures({
  t,
  company,
  range,
}: PageProps & { company: string | undefined; range: { from: string; to: string } | undefined }) {
  const { data, error } = useLiveQuery(ANALYTICS, {
    ...(company === undefined ? {} : { customerMspId: company }),
    ...(range ?? {}),
  });
  /** Each chart's downloads: its figures as CSV, the chart as SVG, named by chart and period. */
  const exportAs = (chart: string, category: MessageKey): ChartExport => ({
    // Named by the local days it covers (an instant's UTC date may be the day before in China).
    name: `${chart}-${
      range === undefined
        ? 'all'
        : `${dayText(new Date(range.from))}_${dayText(new Date(Date.parse(range.to) - 1))}`
    }`,
    csv: t('exportChartCsv'),
    image: t('exportChartImage'),
    category: t(category),
  });
  const charts = useMemo(() => {
    if (data === undefined) return undefined;
    const a = data.analytics;
    return {
      spc: controlChartOption(a.controlChart),
      pareto: paretoOption(a.exceptionPareto, t),
      cycle: barOption(
        a.cycleTimes.histogram.map((b) => `${b.fromHours}–${b.toHours}`),
        a.cycleTimes.histogram.map((b) => b.count),
        t('count'),
        '#1677ff',
      ),
      waiting: barOption(
        a.waitingByOperation.map((w) => `${w.seq} ${processLabel(t, w.process)}`),
        a.waitingByOperation.map((w) => w.meanMinutes),
        t('minutes'),
        '#722ed1',
      ),
      scrap: barOption(
        a.materialVariance.byProcess.map((m) => processLabel(t, m.process)),
        a.materialVariance.byProcess.map((m) => Number((m.scrapRate * 100).toFixed(2))),
        t('scrapRate'),
        '#cf1322',
      ),
      consumption: consumptionOption(a.materialVariance.byMaterial, t),
    };
  }, [data, t]);
  if (error !== undefined) return <Alert type="error" title={`${t('loadFailed')}${error}`} />;
  if (data === undefined || charts === undefined) return <Spin description={t('loading')} />;
  const a = data.analytics;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <TitleWithExport title={t('health')}>
          <CsvButton
            t={t}
            testId="health-export"
            name={exportAs('health', 'factory').name}
            rows={() => [
              [t('factory'), t('onTime'), t('yield'), t('utilisation'), t('healthIndex')],
              ...a.factoryHealth.map((r) => [
                r.factoryId,
                String(r.onTimeRate),
                String(r.firstPassYield),
                String(r.utilisation),
                String(r.index),
              ]),
            ]}
          />
        </TitleWithExport>
        <Table
          data-testid="health-ranking"
          size="small"
          rowKey="factoryId"
          pagination={false}
          dataSource={a.factoryHealth}
          columns={[
            { title: t('factory'), dataIndex: 'factoryId' },
            {
              title: t('onTime'),
              render: (_: unknown, r: Analytics['factoryHealth'][number]) => pct(r.onTimeRate),
            },
            {
              title: t('yield'),
              render: (_: unknown, r: Analytics['factoryHealth'][number]) => pct(r.firstPassYield),
            },
            {
              title: t('utilisation'),
              render: (_: unknown, r: Analytics['factoryHealth'][number]) => pct(r.utilisation),
            },
            {
              title: t('healthIndex'),
              render: (_: unknown, r: Analytics['factoryHealth'][number]) => r.index.toFixed(3),
            },
          ]}
        />
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={4}>
          {t('spc')} · {processLabel(t, 'CNC')}
        </Typography.Title>
        <ChartOrWhy t={t} empty={a.controlChart.points.length === 0} why="noDataSpc" testId="spc-chart">
          <EChart testId="spc-chart" option={charts.spc} exportAs={exportAs('spc-chart', 'lots')} />
        </ChartOrWhy>
        <Typography.Text type="secondary" data-testid="spc-limits">
          x̄ {a.controlChart.mean} · UCL {a.controlChart.upperControlLimit} · LCL{' '}
          {a.controlChart.lowerControlLimit}
          {a.controlChart.outOfControl.length > 0 &&
            ` · ${t('outOfControl')} ${a.controlChart.outOfControl.length}`}
        </Typography.Text>
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={4}>{t('pareto')}</Typography.Title>
        <ChartOrWhy t={t} empty={a.exceptionPareto.length === 0} why="noDataPareto" testId="pareto-chart">
          <EChart testId="pareto-chart" option={charts.pareto} exportAs={exportAs('pareto-chart', 'cause')} />
        </ChartOrWhy>
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={4}>{t('cycleTime')}</Typography.Title>
        <ChartOrWhy
          t={t}
          empty={a.cycleTimes.histogram.length === 0}
          why="noDataCycle"
          testId="cycle-time-chart"
        >
          <EChart
            testId="cycle-time-chart"
            option={charts.cycle}
            exportAs={exportAs('cycle-time-chart', 'hoursRange')}
          />
        </ChartOrWhy>
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={4}>{t('waitingTime')}</Typography.Title>
        <ChartOrWhy
          t={t}
          empty={a.waitingByOperation.length === 0}
          why="noDataWaiting"
          testId="waiting-chart"
        >
          <EChart
            testId="waiting-chart"
            option={charts.waiting}
            exportAs={exportAs('waiting-chart', 'operation')}
          />
        </ChartOrWhy>
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={4}>{t('materialVariance')}</Typography.Title>
        <ChartOrWhy
          t={t}
          empty={a.materialVariance.byProcess.length === 0}
          why="noDataScrap"
          testId="scrap-chart"
        >
          <EChart testId="scrap-chart" option={charts.scrap} exportAs={exportAs('scrap-chart', 'process')} />
        </ChartOrWhy>
      </Col>
      <Col xs={24}>
        <TitleWithExport title={t('consumptionVariance')}>
          {a.materialVariance.byMaterial.length > 0 && (
            <CsvButton
              t={t}
              testId="consumption-export"
              label="exportDetailsCsv"
              name={exportAs('consumption', 'materialCode').name}
              rows={() => [
                [
                  t('materialCode'),
                  t('consumptionUnit'),
                  t('process'),
                  t('factory'),
                  t('operationsReported'),
                  t('pieces'),
                  t('standardUse'),
                  t('actualUse'),
                  t('usageVariance'),
                  t('usageVarianceRate'),
                ],
                ...a.materialVariance.byMaterial.map((r) => [
                  r.materialCode,
                  r.unit,
                  processLabel(t, r.process),
                  r.factoryId,
                  String(r.operations),
                  String(r.pieces),
                  String(r.standard),
                  String(r.used),
                  String(r.variance),
                  String(r.varianceRate),
                ]),
              ]}
            />
          )}
        </TitleWithExport>
        <ChartOrWhy
          t={t}
          empty={a.materialVariance.byMaterial.length === 0}
          why="noDataConsumption"
          testId="consumption-chart"
        >
          <EChart
            testId="consumption-chart"
            option={charts.consumption}
            exportAs={exportAs('consumption-chart', 'materialCode')}
          />
          <ConsumptionTable t={t} rows={a.materialVariance.byMaterial} />
        </ChartOrWhy>
      </Col>
      <Col xs={24}>
        <Comparison t={t} rows={a.comparison} name={exportAs('comparison', 'part').name} />
      </Col>
    </Row>
  );
}

type ComparisonRow = AnalyticsQuery['analytics']['comparison'][number];

/** Plants and teams on the same work (a part's operation of one process), to pick a part and compare. */
function Comparison({ t, rows, name }: Pick<PageProps, 't'> & { rows: ComparisonRow[]; name: string }) {
  const parts = [...new Set(rows.map((r) => r.partNumber))];
  const [part, setPart] = useState<string | undefined>();
  const chosen = part !== undefined && parts.includes(part) ? part : parts[0];
  const shown = rows.filter((r) => r.partNumber === chosen);
  const header = [
    t('part'),
    t('process'),
    t('factory'),
    t('team'),
    t('operationsReported'),
    t('pieces'),
    t('minutesPerPiece'),
    t('standardPerPiece'),
    t('yield'),
  ];
  return (
    <>
      <TitleWithExport title={t('plantTeamComparison')}>
        <Space>
          <Select
            aria-label={t('part')}
            style={{ minWidth: 200 }}
            value={chosen}
            options={parts.map((p) => ({ value: p, label: p }))}
            onChange={setPart}
          />
          {shown.length > 0 && (
            <CsvButton
              t={t}
              testId="comparison-export"
              name={name}
              rows={() => [
                header,
                ...rows.map((r) => [
                  r.partNumber,
                  processLabel(t, r.process),
                  r.factoryId,
                  r.team,
                  String(r.operations),
                  String(r.pieces),
                  String(r.minutesPerPiece),
                  String(r.standardMinutesPerPiece),
                  String(r.firstPassYield),
                ]),
              ]}
            />
          )}
        </Space>
      </TitleWithExport>
      {shown.length === 0 ? (
        <Empty description={t('noDataComparison')} />
      ) : (
        <Table
          data-testid="plant-team-comparison"
          size="small"
          rowKey={(r) => `${r.process}|${r.factoryId}|${r.team}`}
          pagination={false}
          dataSource={shown}
          columns={[
            { title: t('process'), render: (_: unknown, r: ComparisonRow) => processLabel(t, r.process) },
            { title: t('factory'), dataIndex: 'factoryId' },
            { title: t('team'), dataIndex: 'team' },
            { title: t('operationsReported'), dataIndex: 'operations' },
            { title: t('pieces'), dataIndex: 'pieces' },
            {
              title: t('minutesPerPiece'),
              render: (_: unknown, r: ComparisonRow) => (
                <Typography.Text
                  type={r.minutesPerPiece > r.standardMinutesPerPiece * 1.05 ? 'danger' : undefined}
                >
                  {r.minutesPerPiece.toFixed(2)} / {r.standardMinutesPerPiece.toFixed(2)}
                </Typography.Text>
              ),
            },
            { title: t('yield'), render: (_: unknown, r: ComparisonRow) => pct(r.firstPassYield) },
          ]}
        />
      )}
    </>
  );
}

/** The consumption figures behind the chart: standard and used in the material's own unit. */
function ConsumptionTable({ t, rows }: Pick<PageProps, 't'> & { rows: Consumption[] }) {
  // Three decimals at most, none where there are none: 12 kg, 7.14 kg, 1,050 片.
  const amount = (x: number, r: Consumption) =>
    `${x.toLocaleString('en-US', { maximumFractionDigits: 3 })} ${r.unit}`;
  return (
    <Table
      data-testid="consumption-table"
      size="small"
      rowKey={(r) => `${r.materialCode}|${r.unit}|${r.process}|${r.factoryId}`}
      pagination={false}
      dataSource={rows}
      columns={[
        { title: t('materialCode'), dataIndex: 'materialCode' },
        { title: t('process'), render: (_: unknown, r: Consumption) => processLabel(t, r.process) },
        { title: t('factory'), dataIndex: 'factoryId' },
        { title: t('operationsReported'), dataIndex: 'operations' },
        { title: t('pieces'), dataIndex: 'pieces' },
        { title: t('standardUse'), render: (_: unknown, r: Consumption) => amount(r.standard, r) },
        { title: t('actualUse'), render: (_: unknown, r: Consumption) => amount(r.used, r) },
        {
          title: t('usageVariance'),
          render: (_: unknown, r: Consumption) => (
            <Typography.Text type={r.variance > 0 ? 'danger' : 'success'}>
              {r.variance > 0 ? '+' : ''}
              {amount(r.variance, r)} ({r.variance > 0 ? '+' : ''}
              {(r.varianceRate * 100).toFixed(1)}%)
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}
