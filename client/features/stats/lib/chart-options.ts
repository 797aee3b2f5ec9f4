/**
 * ECharts options built from the stats procedures' answers: pure functions (no ECharts runtime,
 * types only), so the unit tests check what a chart will draw without a browser.
 */
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { Interval } from './cross-filter.js';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | HeatmapSeriesOption
  | LineSeriesOption
  | AriaComponentOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

export const COLORS = {
  accent: '#2563eb',
  muted: '#64748b',
  good: '#15803d',
  accident: '#dc2626',
  exception: '#f59e0b',
  line: '#e2e8f0',
  // Severity 1 (light) to 4 (grave), the map's warm palette.
  severity: ['#fed976', '#fd8d3c', '#e31a1c', '#800026'] as const,
  // Hour-of-week cells, none to most (YlOrRd).
  heat: ['#ffffcc', '#ffeda0', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c', '#b10026'] as const,
};

const GRID = { left: 8, right: 16, top: 28, bottom: 8, containLabel: true } as const;
const AXIS_LABEL = { color: '#475569', fontSize: 11 } as const;

/** A rate (0..1) as a percentage with one decimal for the chart; null stays a gap. */
export function rateToPercent(rate: number | null): number | null {
  return rate === null || !Number.isFinite(rate) ? null : Math.round(rate * 1000) / 10;
}

export interface ClosureData {
  target: number;
  months: string[];
  series: Array<{ occurred: number[]; closedNow: number[]; closedByEnd: number[]; rateNow: (number | null)[]; rateByEnd: (number | null)[] }>;
}

/**
 * The monthly closure rate of the first series (scope `all`): "as of now" and "by the end of
 * the month" lines, and the target as a horizontal line. Y in percent, 0..100.
 */
export function closureOption(data: ClosureData, labels: { now: string; byEnd: string; target: string }): ChartOption {
  const s = data.series[0];
  const targetPct = rateToPercent(data.target) ?? 90;
  return {
    aria: { enabled: true },
    color: [COLORS.accent, COLORS.muted],
    grid: { ...GRID, top: 36 },
    legend: { top: 0, itemWidth: 16, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined || v === '-' ? '–' : `${String(v)}%`) },
    xAxis: { type: 'category', data: data.months, axisLabel: AXIS_LABEL, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...AXIS_LABEL, formatter: '{value}%' }, splitLine: { lineStyle: { color: COLORS.line } } },
    series: [
      {
        type: 'line',
        name: labels.now,
        data: (s?.rateNow ?? []).map(rateToPercent),
        symbolSize: 6,
        connectNulls: false,
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: COLORS.good, type: 'dashed', width: 1.5 },
          label: { formatter: labels.target, position: 'insideEndTop', color: COLORS.good, fontSize: 11 },
          data: [{ yAxis: targetPct }],
        },
      },
      {
        type: 'line',
        name: labels.byEnd,
        data: (s?.rateByEnd ?? []).map(rateToPercent),
        symbolSize: 5,
        lineStyle: { type: 'dashed' },
        connectNulls: false,
      },
    ],
  };
}

/** A bucket start (`YYYY-MM-DD`) as the axis shows it: `MM-DD` for days and weeks, `YYYY-MM` for months. */
export function bucketLabel(bucket: string, interval: Interval): string {
  return interval === 'month' ? bucket.slice(0, 7) : bucket.slice(5);
}

export function seriesColor(key: string): string {
  if (key === 'accident') return COLORS.accident;
  if (key === 'exception') return COLORS.exception;
  if (/^[1-4]$/.test(key)) return COLORS.severity[Number(key) - 1]!;
  return COLORS.accent;
}

export interface TimeseriesData {
  interval: Interval;
  buckets: string[];
  series: Array<{ key: string; counts: number[] }>;
}

/** Bars per bucket, stacked when split by kind or severity; series in the server's order. */
export function timeseriesOption(data: TimeseriesData, nameOf: (key: string) => string): ChartOption {
  const stacked = data.series.length > 1;
  return {
    aria: { enabled: true },
    grid: { ...GRID, top: stacked ? 36 : 16 },
    legend: stacked ? { top: 0, itemWidth: 14, textStyle: { fontSize: 11 } } : { show: false },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: data.buckets.map((b) => bucketLabel(b, data.interval)), axisLabel: AXIS_LABEL },
    yAxis: { type: 'value', minInterval: 1, axisLabel: AXIS_LABEL, splitLine: { lineStyle: { color: COLORS.line } } },
    series: data.series.map((s) => ({
      type: 'bar' as const,
      name: nameOf(s.key),
      data: s.counts,
      stack: stacked ? 'total' : undefined,
      itemStyle: { color: seriesColor(s.key) },
      emphasis: { focus: 'series' as const },
      cursor: 'pointer',
    })),
  };
}

export interface CategoryItem {
  kind: string;
  category: string;
  count: number;
}

/**
 * One horizontal bar per (kind, category), most frequent on top, coloured by kind. With a
 * selection, the other bars fade so the chosen one stands out.
 */
export function categoriesOption(items: readonly CategoryItem[], labelOf: (item: CategoryItem) => string, isSelected: (item: CategoryItem) => boolean): ChartOption {
  const anySelected = items.some(isSelected);
  return {
    aria: { enabled: true },
    grid: { ...GRID, top: 4, right: 40 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', minInterval: 1, axisLabel: AXIS_LABEL, splitLine: { lineStyle: { color: COLORS.line } } },
    yAxis: { type: 'category', inverse: true, data: items.map(labelOf), axisLabel: { ...AXIS_LABEL, width: 120, overflow: 'truncate' }, axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        cursor: 'pointer',
        label: { show: true, position: 'right', fontSize: 11, color: '#475569' },
        data: items.map((item) => ({
          value: item.count,
          itemStyle: {
            color: item.kind === 'accident' ? COLORS.accident : COLORS.exception,
            opacity: anySelected && !isSelected(item) ? 0.35 : 1,
            borderColor: isSelected(item) ? '#0f172a' : undefined,
            borderWidth: isSelected(item) ? 2 : 0,
          },
        })),
      },
    ],
  };
}

/** Pixel height of the categories chart: a row per bar, so labels never overlap. */
export function categoriesHeight(count: number): number {
  return Math.max(120, 26 * count + 36);
}

export interface HourOfWeekData {
  /** counts[day][hour], day 0 = Monday. */
  counts: number[][];
  max: number;
}

/** A 7 x 24 heat grid: hours across, Monday at the top, colour by count. */
export function hourOfWeekOption(data: HourOfWeekData, dayLabels: readonly string[], cellLabel: (day: number, hour: number, count: number) => string): ChartOption {
  const cells: Array<[hour: number, day: number, count: number]> = [];
  data.counts.forEach((row, day) => row.forEach((count, hour) => cells.push([hour, day, count])));
  return {
    aria: { enabled: true },
    grid: { ...GRID, top: 8, bottom: 4 },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const value = (Array.isArray(p) ? p[0] : p)?.value as [number, number, number] | undefined;
        return value ? cellLabel(value[1], value[0], value[2]) : '';
      },
    },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), axisLabel: { ...AXIS_LABEL, interval: 2 }, splitArea: { show: false } },
    yAxis: { type: 'category', inverse: true, data: [...dayLabels], axisLabel: AXIS_LABEL },
    visualMap: { show: false, min: 0, max: Math.max(1, data.max), inRange: { color: [...COLORS.heat] } },
    series: [{ type: 'heatmap', data: cells, itemStyle: { borderColor: '#fff', borderWidth: 1 }, emphasis: { itemStyle: { borderColor: '#0f172a' } } }],
  };
}
