/**
 * The colour metrics of the map (DESIGN.md "Hexbins": count, severity-weighted, open, overdue,
 * and the `closure` metric, which is a cell's share closed: server/domain/closure.ts
 * cellShareClosed, not the monthly closure rate KPI) and their scales with legend labels a person
 * can read.
 */
import { CLOSURE_RATE_TARGET, cellShareClosed } from '../../../../server/domain/closure.js';
import type { Metric } from '../../../lib/url-state.js';
import { breakLabels, colorScale, PALETTE } from './color-scale.js';
import type { Rgba } from './color-scale.js';

export interface HexMetrics {
  count: number[];
  weighted: number[];
  open: number[];
  closed: number[];
  overdue: number[];
}

/** A pale neutral for cells whose metric is 0 (incidents there, but none open, say). */
export const ZERO_COLOR: Rgba = [203, 213, 225, 150];

/** Lower bounds of the share-closed classes below the target: 40, 20 and 10 points under it. */
const BELOW_TARGET = [0.4, 0.2, 0.1] as const;

/**
 * Share-closed classes as fractions, the last one starting at `target` (the settings'
 * closureTarget): with the default 90 % under 50 %, 50–70, 70–80, 80–90, at least 90 %. Bounds
 * under 0 are dropped; 0 always starts the first class.
 */
export function closureBreaks(target: number = CLOSURE_RATE_TARGET): number[] {
  const t = Math.min(1, Math.max(0, target));
  const bounds = [0, ...BELOW_TARGET.map((d) => Math.round((t - d) * 1000) / 1000), t];
  return bounds.filter((b, i) => b >= 0 && bounds.indexOf(b) === i);
}

/** Value of `metric` for each cell; `closure` is the cell's share closed (0..1; 0 for an empty cell). */
export function metricValues(h: HexMetrics, metric: Metric): number[] {
  switch (metric) {
    case 'count':
      return h.count;
    case 'weighted':
      return h.weighted;
    case 'open':
      return h.open;
    case 'overdue':
      return h.overdue;
    case 'closure':
      return h.count.map((c, i) => cellShareClosed(h.closed[i] ?? 0, c) ?? 0);
  }
}

export interface MetricScale {
  /** Legend rows, lowest class first. */
  classes: Array<{ label: string; color: Rgba }>;
  colorOf: (value: number) => Rgba;
  /** 0..1 for the extrusion height. */
  heightOf: (value: number) => number;
}

/** A fraction as a percent with at most one decimal (a target of 85.5 % stays readable). */
function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/**
 * The scale of a metric over the values in view. Counts use quantile or equal breaks over the
 * YlOrRd palette (see color-scale.ts), with a neutral for 0; the share closed uses fixed breaks
 * below `closureTarget` (the settings' target, a fraction), low shares in the hot colours (they
 * are the problem).
 */
export function metricScale(values: readonly number[], metric: Metric, closureTarget: number = CLOSURE_RATE_TARGET): MetricScale {
  if (metric === 'closure') {
    const breaks = closureBreaks(closureTarget);
    // Red for low closure, pale for at-or-above target: the palette read backwards.
    const colors = breaks.map((_, i) => PALETTE[PALETTE.length - 1 - i]!);
    const classOf = (v: number) => {
      let index = 0;
      for (let i = 0; i < breaks.length; i++) if (v >= breaks[i]!) index = i;
      return index;
    };
    return {
      classes: breaks.map((lower, i) => {
        const next = breaks[i + 1];
        return { label: next === undefined ? `≥ ${percent(lower)}` : `${percent(lower)}–${percent(next)}`, color: colors[i]! };
      }),
      colorOf: (v) => colors[classOf(v)]!,
      heightOf: (v) => 1 - Math.min(1, Math.max(0, v)),
    };
  }
  const scale = colorScale(values);
  let max = 0;
  let hasZero = false;
  for (const v of values) {
    max = Math.max(max, v);
    if (v <= 0) hasZero = true;
  }
  const labels = breakLabels(scale.breaks);
  const classes = scale.breaks.map((_, i) => ({ label: labels[i]!, color: scale.colors[i]! }));
  if (hasZero && classes.length) classes.unshift({ label: '0', color: ZERO_COLOR });
  return {
    classes,
    colorOf: (v) => (v <= 0 ? ZERO_COLOR : scale.colorOf(v)),
    heightOf: (v) => (max > 0 ? Math.max(0, v) / max : 0),
  };
}
