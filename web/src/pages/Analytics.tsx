import { Alert, Col, Row, Spin, Table, Typography } from 'antd';
import type { PageProps } from '../session';
import { useQuery } from '../useQuery';

interface Analytics {
  cycleTimes: { hours: number[]; histogram: { fromHours: number; toHours: number; count: number }[] };
  waitingByOperation: { process: string; seq: number; meanMinutes: number; samples: number }[];
  exceptionPareto: { cause: string; count: number; cumulativeShare: number }[];
  materialVariance: { byProcess: { process: string; input: number; scrap: number; scrapRate: number }[] };
  controlChart: {
    points: { lotId: string; minutesPerUnit: number }[];
    mean: number;
    upperControlLimit: number;
    lowerControlLimit: number;
    outOfControl: string[];
  };
  factoryHealth: {
    factoryId: string;
    onTimeRate: number;
    firstPassYield: number;
    utilisation: number;
    index: number;
  }[];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** An SPC individuals chart as an SVG: the points, the mean and the control limits. */
function ControlChart({ chart }: { chart: Analytics['controlChart'] }) {
  const w = 560;
  const h = 180;
  const values = chart.points.map((p) => p.minutesPerUnit);
  const top = Math.max(chart.upperControlLimit, ...values, 0.001) * 1.1;
  const y = (v: number) => h - (v / top) * h;
  const x = (i: number) =>
    chart.points.length <= 1 ? w / 2 : (i / (chart.points.length - 1)) * (w - 20) + 10;
  return (
    <svg viewBox={`0 0 ${w} ${h}`} width="100%" data-testid="spc-chart" role="img">
      {[
        [chart.upperControlLimit, '#cf1322'],
        [chart.mean, '#1677ff'],
        [chart.lowerControlLimit, '#cf1322'],
      ].map(([v, color]) => (
        <line
          key={String(color) + String(v)}
          x1={0}
          x2={w}
          y1={y(Number(v))}
          y2={y(Number(v))}
          stroke={String(color)}
          strokeDasharray="4 3"
        />
      ))}
      <polyline
        fill="none"
        stroke="#595959"
        points={chart.points.map((p, i) => `${x(i)},${y(p.minutesPerUnit)}`).join(' ')}
      />
      {chart.points.map((p, i) => (
        <circle
          key={p.lotId + String(i)}
          cx={x(i)}
          cy={y(p.minutesPerUnit)}
          r={3}
          fill={chart.outOfControl.includes(p.lotId) ? '#cf1322' : '#1677ff'}
        />
      ))}
    </svg>
  );
}

export default function AnalyticsPage({ t, session }: PageProps) {
  const { data, error } = useQuery<{ analytics: Analytics }>(
    '{ analytics(process: "CNC") }',
    {},
    session.token,
  );
  if (error !== undefined) return <Alert type="error" title={`${t('loadFailed')}${error}`} />;
  if (data === undefined) return <Spin description={t('loading')} />;
  const a = data.analytics;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Typography.Title level={4}>{t('health')}</Typography.Title>
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
              title: 'index',
              render: (_: unknown, r: Analytics['factoryHealth'][number]) => r.index.toFixed(3),
            },
          ]}
        />
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={4}>{t('pareto')}</Typography.Title>
        <Table
          size="small"
          rowKey="cause"
          pagination={false}
          dataSource={a.exceptionPareto}
          columns={[
            { title: t('cause'), dataIndex: 'cause' },
            { title: t('count'), dataIndex: 'count' },
            {
              title: '∑%',
              render: (_: unknown, r: Analytics['exceptionPareto'][number]) => pct(r.cumulativeShare),
            },
          ]}
        />
        <Typography.Title level={4}>{t('spc')} · CNC</Typography.Title>
        <ControlChart chart={a.controlChart} />
        <Typography.Text type="secondary">
          x̄ {a.controlChart.mean} · UCL {a.controlChart.upperControlLimit} · LCL{' '}
          {a.controlChart.lowerControlLimit}
        </Typography.Text>
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={4}>Cycle time (h)</Typography.Title>
        <Table
          size="small"
          rowKey="fromHours"
          pagination={false}
          dataSource={a.cycleTimes.histogram}
          columns={[
            {
              title: t('hours'),
              render: (_: unknown, r: { fromHours: number; toHours: number }) =>
                `${r.fromHours}–${r.toHours}`,
            },
            { title: t('count'), dataIndex: 'count' },
          ]}
        />
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={4}>Scrap / waiting</Typography.Title>
        <Table
          size="small"
          rowKey="process"
          pagination={false}
          dataSource={a.materialVariance.byProcess}
          columns={[
            { title: t('process'), dataIndex: 'process' },
            { title: t('quantity'), dataIndex: 'input' },
            { title: t('scrap'), dataIndex: 'scrap' },
            { title: '%', render: (_: unknown, r: { scrapRate: number }) => pct(r.scrapRate) },
          ]}
        />
        <Table
          size="small"
          rowKey={(r) => `${r.seq}${r.process}`}
          pagination={false}
          dataSource={a.waitingByOperation}
          columns={[
            { title: t('seq'), dataIndex: 'seq' },
            { title: t('process'), dataIndex: 'process' },
            { title: 'min', dataIndex: 'meanMinutes' },
          ]}
        />
      </Col>
    </Row>
  );
}
