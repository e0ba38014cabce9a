import type { ChartOption } from './EChart';

type Point = number | string | null | { value?: unknown };

/**
 * A chart's figures as a table: the category axis down the first column, one column per series.
 * Works on the options the analytics page draws (a category x axis, series of numbers or
 * `{ value }` points); what is not a number is left as written.
 */
export function chartRows(option: ChartOption, categoryHeader: string): string[][] {
  const xAxis = (Array.isArray(option.xAxis) ? option.xAxis[0] : option.xAxis) as
    { data?: unknown[] } | undefined;
  const categories = (xAxis?.data ?? []).map(String);
  const series = (
    (Array.isArray(option.series) ? option.series : [option.series]) as
      { name?: string; data?: Point[] }[] | undefined[]
  ).filter((s): s is { name?: string; data?: Point[] } => s !== undefined);
  const cell = (p: Point | undefined): string => {
    const v = p !== null && typeof p === 'object' ? p.value : p;
    return typeof v === 'number' || typeof v === 'string' ? String(v) : '';
  };
  const length = Math.max(categories.length, ...series.map((s) => s.data?.length ?? 0));
  return [
    [categoryHeader, ...series.map((s, i) => s.name ?? `#${i + 1}`)],
    ...Array.from({ length }, (_, row) => [
      categories[row] ?? String(row + 1),
      ...series.map((s) => cell(s.data?.[row])),
    ]),
  ];
}
