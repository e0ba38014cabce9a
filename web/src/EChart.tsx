import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { Button, Space } from 'antd';
import { useEffect, useRef } from 'react';
import { chartRows } from './chartExport';
import { downloadCsv } from './csv';

// Only what the pages draw, so the chart chunk stays small; SVG, so charts print and scale crisply.
echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** What a chart's export buttons say, and the file name its exports get. */
export interface ChartExport {
  name: string;
  csv: string;
  image: string;
  /** The header of the category column. */
  category: string;
}

/**
 * One ECharts chart that follows its option and the width of its container; with `exportAs`, its
 * figures download as CSV (Excel opens it) and the chart itself as an SVG image.
 */
export function EChart({
  option,
  height = 260,
  testId,
  exportAs,
}: {
  option: ChartOption;
  height?: number;
  testId?: string;
  exportAs?: ChartExport;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  useEffect(() => {
    if (element.current === null) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const resize = new ResizeObserver(() => {
      instance.resize();
    });
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  const chartDiv = <div ref={element} data-testid={testId} role="img" style={{ width: '100%', height }} />;
  if (exportAs === undefined) return chartDiv;
  return (
    <>
      <Space
        size={4}
        style={{ display: 'flex', justifyContent: 'flex-end' }}
        data-testid={testId === undefined ? undefined : `${testId}-export`}
      >
        <Button
          size="small"
          type="link"
          onClick={() => {
            downloadCsv(`${exportAs.name}.csv`, chartRows(option, exportAs.category));
          }}
        >
          {exportAs.csv}
        </Button>
        <Button
          size="small"
          type="link"
          onClick={() => {
            const url = chart.current?.getDataURL({ type: 'svg' });
            if (url === undefined) return;
            const link = document.createElement('a');
            link.href = url;
            link.download = `${exportAs.name}.svg`;
            link.click();
          }}
        >
          {exportAs.image}
        </Button>
      </Space>
      {chartDiv}
    </>
  );
}
